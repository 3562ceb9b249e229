using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>The stack a template is deployed as: what its pseudo parameters resolve to.</summary>
internal sealed record StackIdentity(string Name, string Id, string Region, string AccountId)
{
    public IReadOnlyDictionary<string, string> PseudoParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS::AccountId"] = AccountId,
        ["AWS::Partition"] = "aws",
        ["AWS::Region"] = Region,
        ["AWS::StackId"] = Id,
        ["AWS::StackName"] = Name,
        ["AWS::URLSuffix"] = "amazonaws.com",
    };
}

/// <summary>A simulated resource that exists: its physical id (what Ref returns) and its Fn::GetAtt attributes.</summary>
internal sealed record DeployedResource(string LogicalId, string Type, string PhysicalId, IReadOnlyDictionary<string, JsonNode?> Attributes)
{
    /// <summary>An attribute value; one the sandbox does not model gets a stable, well-formed stand-in.</summary>
    public JsonNode? Attribute(string name) =>
        Attributes.TryGetValue(name, out var value) ? value?.DeepClone() : JsonValue.Create($"{PhysicalId}/{name}");
}

/// <summary>
/// A template bound to a stack and parameter values: the resources whose conditions hold, and their
/// dependencies among themselves.
/// </summary>
internal sealed class StackBlueprint
{
    private StackBlueprint(SandboxTemplate template, StackIdentity stack, IReadOnlyDictionary<string, string> parameterValues, IReadOnlyList<TemplateResource> resources)
    {
        Template = template;
        Stack = stack;
        ParameterValues = parameterValues;
        Resources = resources;
        ResourcesById = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
    }

    public SandboxTemplate Template { get; }
    public StackIdentity Stack { get; }
    public IReadOnlyDictionary<string, string> ParameterValues { get; }
    public IReadOnlyList<TemplateResource> Resources { get; }
    public IReadOnlyDictionary<string, TemplateResource> ResourcesById { get; }

    /// <summary>Binds a template; <paramref name="provided"/> are the request's parameter values.</summary>
    public static StackBlueprint Instantiate(SandboxTemplate template, StackIdentity stack, IReadOnlyDictionary<string, string> provided)
    {
        var declared = template.Parameters;
        var unknown = provided.Keys.Where(k => !declared.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw CloudFormationError.Validation($"Parameters: [{string.Join(", ", unknown)}] do not exist in the template");

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (name, definition) in declared)
        {
            if (provided.TryGetValue(name, out var value))
                values[name] = value;
            else if (definition?["Default"] is { } defaultValue)
                values[name] = defaultValue is JsonValue v && v.TryGetValue<string>(out var s) ? s : defaultValue.ToJsonString();
            else
                missing.Add(name);
        }
        if (missing.Count > 0)
            throw CloudFormationError.Validation($"Parameters: [{string.Join(", ", missing)}] must have values");

        var conditions = new IntrinsicEvaluator(template, stack, values, new Dictionary<string, DeployedResource>());
        var active = template.Resources.Where(r => r.Condition is null || conditions.Condition(r.Condition)).ToList();
        var activeIds = active.Select(r => r.LogicalId).ToHashSet(StringComparer.Ordinal);
        // A reference to a resource whose condition is false can only sit in an Fn::If branch not taken.
        var bound = active.Select(r => r with { Dependencies = r.Dependencies.Where(activeIds.Contains).ToHashSet(StringComparer.Ordinal) }).ToList();
        return new StackBlueprint(template, stack, values, bound);
    }

    public IntrinsicEvaluator Evaluator(IReadOnlyDictionary<string, DeployedResource> resources) =>
        new(Template, Stack, ParameterValues, resources);

    /// <summary>Whether deploying <paramref name="other"/> instead would change nothing at all.</summary>
    public bool SameAs(StackBlueprint other) =>
        JsonNode.DeepEquals(Template.Root, other.Template.Root) &&
        ParameterValues.Count == other.ParameterValues.Count &&
        ParameterValues.All(kv => other.ParameterValues.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
