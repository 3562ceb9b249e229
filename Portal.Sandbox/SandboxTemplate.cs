using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Sandbox;

/// <summary>A resource as the template declares it, with every logical id it depends on.</summary>
internal sealed record TemplateResource(
    string LogicalId, string Type, JsonObject Properties, string? Condition, IReadOnlySet<string> Dependencies);

/// <summary>
/// A template CloudFormation would accept: parsed, with its references checked and no dependency cycle.
/// Every refusal is a ValidationError worded as CloudFormation words it.
/// </summary>
internal sealed partial class SandboxTemplate
{
    public const int MaxBodyBytes = 51_200;

    /// <summary>CloudFormation's limit on a template's Description, which becomes the stack's.</summary>
    public const int MaxDescriptionBytes = 1024;

    private SandboxTemplate(string body, JsonObject root, IReadOnlyList<TemplateResource> resources)
    {
        Body = body;
        Root = root;
        Resources = resources;
        ResourcesById = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
    }

    /// <summary>The template as it was sent (what the sandbox keeps on disk).</summary>
    public string Body { get; }

    public JsonObject Root { get; }
    public IReadOnlyList<TemplateResource> Resources { get; }
    public IReadOnlyDictionary<string, TemplateResource> ResourcesById { get; }
    public string? Description => Root["Description"] is JsonValue d ? d.ToString() : null;
    public JsonObject Parameters => Section("Parameters");
    public JsonObject Mappings => Section("Mappings");
    public JsonObject Conditions => Section("Conditions");
    public JsonObject Outputs => Section("Outputs");

    private JsonObject Section(string name) => Root[name] as JsonObject ?? [];

    public static SandboxTemplate Parse(string body)
    {
        if (Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
            throw CloudFormationError.Validation(
                $"1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to {MaxBodyBytes}");

        var root = ParseJson(body);
        if (root["Description"] is JsonValue description && Encoding.UTF8.GetByteCount(description.ToString()) > MaxDescriptionBytes)
            throw FormatError($"'Description' length is greater than {MaxDescriptionBytes}.");
        if (root["Resources"] is not JsonObject { Count: > 0 } resourcesNode)
            throw FormatError("At least one Resources member must be defined.");

        var declaredResources = resourcesNode.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var parameters = (root["Parameters"] as JsonObject ?? []).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var conditions = (root["Conditions"] as JsonObject ?? []).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

        var resources = new List<TemplateResource>();
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (logicalId, node) in resourcesNode)
        {
            if (!LogicalIdPattern().IsMatch(logicalId))
                throw FormatError($"Resource name {logicalId} is non alphanumeric.");
            if (node is not JsonObject resource || resource["Type"] is not JsonValue typeNode || !typeNode.TryGetValue<string>(out var type))
                throw FormatError($"[/Resources/{logicalId}] Every Resources object must contain a Type member.");
            if (!ResourceTypePattern().IsMatch(type))
                throw FormatError($"Unrecognized resource types: [{type}]");
            var properties = resource["Properties"] switch
            {
                null => [],
                JsonObject p => p,
                _ => throw FormatError($"[/Resources/{logicalId}/Properties] Properties must be an object."),
            };
            var condition = resource["Condition"]?.ToString();
            if (condition is not null && !conditions.Contains(condition))
                throw FormatError($"Unresolved dependencies [{condition}]. Cannot reference resources in the Conditions block of the template");

            var dependencies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in TemplateReferences.Collect(properties))
            {
                if (declaredResources.Contains(reference.Target))
                    dependencies.Add(reference.Target);
                else if (reference.Kind == ReferenceKind.GetAtt)
                    throw TemplateError($"instance of Fn::GetAtt references undefined resource {reference.Target}");
                else if (!parameters.Contains(reference.Target) && !TemplateReferences.PseudoParameters.Contains(reference.Target))
                    unresolved.Add(reference.Target);
            }
            foreach (var dependsOn in DependsOn(logicalId, resource["DependsOn"]))
            {
                if (declaredResources.Contains(dependsOn))
                    dependencies.Add(dependsOn);
                else
                    unresolved.Add(dependsOn);
            }
            resources.Add(new TemplateResource(logicalId, type, properties, condition, dependencies));
        }
        if (unresolved.Count > 0)
            throw FormatError($"Unresolved resource dependencies [{string.Join(", ", unresolved)}] in the Resources block of the template");

        CheckOutputs(root["Outputs"], declaredResources, parameters);
        CheckAcyclic(resources);
        return new SandboxTemplate(body, root, resources);
    }

    private static JsonObject ParseJson(string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw FormatError(e.LineNumber is { } line
                ? $"JSON not well-formed. (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})"
                : $"JSON not well-formed. ({e.Message})");
        }
        return node as JsonObject ?? throw FormatError("unsupported structure.");
    }

    private static IEnumerable<string> DependsOn(string logicalId, JsonNode? node) => node switch
    {
        null => [],
        JsonValue v when v.TryGetValue<string>(out var one) => [one],
        JsonArray many when many.All(m => m is JsonValue mv && mv.TryGetValue<string>(out _)) => many.Select(m => m!.ToString()),
        _ => throw FormatError($"[/Resources/{logicalId}/DependsOn] DependsOn must be a string or a list of strings."),
    };

    private static void CheckOutputs(JsonNode? outputsNode, HashSet<string> resources, HashSet<string> parameters)
    {
        if (outputsNode is null)
            return;
        if (outputsNode is not JsonObject outputs)
            throw FormatError("Outputs must be an object.");
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, node) in outputs)
        {
            if (node is not JsonObject output || !output.ContainsKey("Value"))
                throw FormatError($"[/Outputs/{key}] Every Outputs member must contain a Value object");
            foreach (var reference in TemplateReferences.Collect(output))
            {
                if (resources.Contains(reference.Target))
                    continue;
                if (reference.Kind == ReferenceKind.GetAtt)
                    throw TemplateError($"instance of Fn::GetAtt references undefined resource {reference.Target}");
                if (!parameters.Contains(reference.Target) && !TemplateReferences.PseudoParameters.Contains(reference.Target))
                    unresolved.Add(reference.Target);
            }
        }
        if (unresolved.Count > 0)
            throw FormatError($"Unresolved resource dependencies [{string.Join(", ", unresolved)}] in the Outputs block of the template");
    }

    // Kahn's algorithm: whatever cannot be ordered lies on (or behind) a cycle.
    private static void CheckAcyclic(IReadOnlyList<TemplateResource> resources)
    {
        var remaining = resources.ToDictionary(r => r.LogicalId, r => new HashSet<string>(r.Dependencies), StringComparer.Ordinal);
        bool progressed;
        do
        {
            var ready = remaining.Where(kv => kv.Value.Count == 0).Select(kv => kv.Key).ToList();
            progressed = ready.Count > 0;
            foreach (var id in ready)
            {
                remaining.Remove(id);
                foreach (var deps in remaining.Values)
                    deps.Remove(id);
            }
        } while (progressed);
        if (remaining.Count > 0)
            throw CloudFormationError.Validation($"Circular dependency between resources: [{string.Join(", ", remaining.Keys.Order(StringComparer.Ordinal))}]");
    }

    private static CloudFormationError FormatError(string message) => CloudFormationError.Validation($"Template format error: {message}");
    private static CloudFormationError TemplateError(string message) => CloudFormationError.Validation($"Template error: {message}");

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex LogicalIdPattern();

    [GeneratedRegex("^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?$|^Custom::[A-Za-z0-9_@-]+$")]
    private static partial Regex ResourceTypePattern();
}
