using System.Text.Json.Nodes;

namespace Portal.Tests.Stacks;

/// <summary>Read-only queries over a synthesized CloudFormation template, for assertions.</summary>
public sealed class CfnTemplate(string json)
{
    public JsonObject Root { get; } = JsonNode.Parse(json)!.AsObject();

    public JsonObject Resources => Root["Resources"]!.AsObject();

    public IReadOnlyList<(string Id, JsonObject Props)> OfType(string type) =>
        Resources.Where(r => (string)r.Value!["Type"]! == type)
            .Select(r => (r.Key, r.Value!["Properties"]?.AsObject() ?? new JsonObject()))
            .ToList();

    public (string Id, JsonObject Props) Single(string type, Func<JsonObject, bool>? where = null) =>
        Assert.Single(OfType(type), r => where?.Invoke(r.Props) ?? true);

    public JsonObject Props(string id) => Resources[id]!["Properties"]!.AsObject();

    public bool IsPublicSubnet(string id) => Props(id)["MapPublicIpOnLaunch"]?.GetValue<bool>() == true;

    /// <summary>The logical id a <c>Ref</c> or <c>Fn::GetAtt</c> points at.</summary>
    public static string Target(JsonNode? reference) =>
        reference?["Ref"] is { } r ? (string)r! : (string)reference!["Fn::GetAtt"]![0]!;

    public static IEnumerable<string> Targets(JsonNode? list) => list!.AsArray().Select(Target);
}
