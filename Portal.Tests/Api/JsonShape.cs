using System.Text.Json;

namespace Portal.Tests.Api;

/// <summary>
/// The shape of a JSON answer: one line per field path with the kind of its value ("revision.number: number"), array
/// items under "[]" (the union of every item's fields), objects keyed by data (stack outputs, resource counts) under
/// "{}". Values themselves (ids, times, names) are left out, so two runs of the same story have the same shape.
/// </summary>
public static class JsonShape
{
    /// <summary>Objects whose keys are data, not field names.</summary>
    private static readonly HashSet<string> Maps = ["outputs", "resourceCounts"];

    public static IReadOnlyList<string> Of(JsonElement json, IReadOnlySet<string>? ignored = null)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        Walk(json, "$", lines, ignored ?? new HashSet<string>());
        return [.. lines];
    }

    private static void Walk(JsonElement json, string path, SortedSet<string> lines, IReadOnlySet<string> ignored)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                lines.Add($"{path}: object");
                var isMap = Maps.Contains(path[(path.LastIndexOf('.') + 1)..]);
                foreach (var property in json.EnumerateObject())
                {
                    if (ignored.Contains(property.Name)) continue;
                    Walk(property.Value, isMap ? $"{path}.{{}}" : $"{path}.{property.Name}", lines, ignored);
                }
                break;
            case JsonValueKind.Array:
                lines.Add($"{path}: array");
                foreach (var item in json.EnumerateArray()) Walk(item, $"{path}[]", lines, ignored);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                lines.Add($"{path}: boolean");
                break;
            default:
                lines.Add($"{path}: {json.ValueKind.ToString().ToLowerInvariant()}");
                break;
        }
    }
}
