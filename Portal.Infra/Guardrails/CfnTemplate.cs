using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Infra.Guardrails;

/// <summary>One resource of a CloudFormation template, with its logical id.</summary>
internal sealed record CfnResource(string LogicalId, string Type, JsonObject Properties);

/// <summary>Read-only access to a template's resources and the references between them.</summary>
internal sealed class CfnTemplate
{
    public const string SecurityGroupType = "AWS::EC2::SecurityGroup";

    private readonly Dictionary<string, CfnResource> _resources;

    private CfnTemplate(Dictionary<string, CfnResource> resources) => _resources = resources;

    public IEnumerable<CfnResource> Resources => _resources.Values;

    public static CfnTemplate Parse(JsonNode? template)
    {
        if (template is not JsonObject root || root["Resources"] is not JsonObject resources)
            throw new ArgumentException("The template must be a JSON object with a \"Resources\" object.", nameof(template));
        var byId = new Dictionary<string, CfnResource>(StringComparer.Ordinal);
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource) continue;
            var type = Text(resource["Type"]) ?? "";
            byId[id] = new CfnResource(id, type, resource["Properties"] as JsonObject ?? []);
        }
        return new CfnTemplate(byId);
    }

    public IEnumerable<CfnResource> OfType(string type) => _resources.Values.Where(r => r.Type == type);

    /// <summary>
    /// The resource a <c>{"Ref": id}</c> or <c>{"Fn::GetAtt": [id, attribute]}</c> points at, if it is in this
    /// template and of <paramref name="type"/>; null for literals, imports and anything else.
    /// </summary>
    public CfnResource? Resolve(JsonNode? reference, string type, string? attribute = null)
    {
        if (reference is not JsonObject { Count: 1 } function) return null;
        string? id = null;
        if (function["Ref"] is { } target)
        {
            id = Text(target);
        }
        else if (function["Fn::GetAtt"] is { } getAtt)
        {
            var (name, attr) = getAtt switch
            {
                JsonArray { Count: 2 } pair => (Text(pair[0]), Text(pair[1])),
                _ when Text(getAtt) is { } dotted && dotted.IndexOf('.') is > 0 and var dot => (dotted[..dot], dotted[(dot + 1)..]),
                _ => (null, null),
            };
            if (attribute is not null && attr == attribute) id = name;
        }
        return id is not null && _resources.TryGetValue(id, out var resource) && resource.Type == type ? resource : null;
    }

    /// <summary>A literal string, or null for numbers, objects and intrinsic functions.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A literal integer, written as a number or a numeric string (CloudFormation accepts both).</summary>
    public static int? Integer(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int number) => number,
        _ when int.TryParse(Text(node), out var parsed) => parsed,
        _ => null,
    };

    /// <summary>Short JSON for messages about values the guardrail cannot interpret.</summary>
    public static string Show(JsonNode? node) => node?.ToJsonString() ?? "nothing";
}
