using System.Text.Json.Nodes;
using Portal.Infra.Environments;

namespace Portal.Web.Components.Approvals;

/// <summary>One field that differs: <see cref="Before"/> null when added, <see cref="After"/> null when removed.</summary>
public sealed record SpecChange(string Path, string? Before, string? After);

/// <summary>What a revision changes, field by field, against the spec that is deployed (or nothing, for a first deploy).</summary>
public static class SpecDiff
{
    public static IReadOnlyList<SpecChange> Between(EnvironmentSpec? deployed, EnvironmentSpec requested)
    {
        var before = deployed is null ? [] : Flatten(deployed);
        var after = Flatten(requested);
        var paths = after.Keys.Concat(before.Keys.Where(k => !after.ContainsKey(k)));
        return [.. paths
            .Select(path => new SpecChange(path, before.GetValueOrDefault(path), after.GetValueOrDefault(path)))
            .Where(change => change.Before != change.After)];
    }

    /// <summary>Leaf values by field path, in the spec's own order (<c>frontend.secrets[0].secretArn</c> → the ARN).</summary>
    private static Dictionary<string, string> Flatten(EnvironmentSpec spec)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(JsonNode.Parse(EnvironmentSpecJson.Serialize(spec)), "", leaves);
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Walk(value, path.Length == 0 ? key : $"{path}.{key}", leaves);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", leaves);
                }

                break;
            case JsonValue value:
                leaves[path] = value.ToJsonString(EnvironmentSpecJson.Options);
                break;
        }
    }
}
