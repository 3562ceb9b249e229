using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>An earlier revision's content and who wrote it: its requester and editors.</summary>
public sealed record AuthoredSpec(string SpecJson, Person RequestedBy, IReadOnlyList<Person> EditedBy);

/// <summary>
/// What a new revision's content is compared with: the spec deployed now (null when none is) and the revisions since
/// then that did not deploy (withdrawn, rejected, superseded, failed, or still open; after a destroy, every one that
/// did not deploy), Destroy revisions left out: they carry a copy of a spec, not content of their own.
/// </summary>
public sealed record ContentHistory(string? DeployedSpecJson, IReadOnlyList<AuthoredSpec> NotDeployed)
{
    public static readonly ContentHistory None = new(null, []);
}

/// <summary>
/// Approval follows authorship of the content: whoever wrote a value a new revision carries may not approve it, also
/// when the edit form carried it over from a revision that was withdrawn, rejected or superseded. The server decides
/// from the content alone, never from what a client says it started from: for each field (a leaf of the spec's JSON,
/// by path) where the new spec differs from the deployed one, every revision of <see cref="ContentHistory.NotDeployed"/>
/// that held the same value there contributes its requester and editors. A field changed back to what is deployed,
/// or to a value nobody proposed before, names nobody.
/// </summary>
public static class Authorship
{
    public static IReadOnlyList<Person> AuthorsOf(string specJson, ContentHistory history)
    {
        var proposed = Leaves(specJson);
        var deployed = history.DeployedSpecJson is { } json ? Leaves(json) : [];
        var changed = proposed.Keys.Union(deployed.Keys)
            .Where(path => proposed.GetValueOrDefault(path) != deployed.GetValueOrDefault(path))
            .ToList();
        if (changed.Count == 0)
        {
            return [];
        }

        return
        [
            .. history.NotDeployed
                .Where(earlier => Leaves(earlier.SpecJson) is var held
                                  && changed.Any(path => held.GetValueOrDefault(path) == proposed.GetValueOrDefault(path)))
                .SelectMany(earlier => earlier.EditedBy.Prepend(earlier.RequestedBy)),
        ];
    }

    /// <summary>
    /// Every leaf of a spec's JSON by its path (<c>frontend.image.tag</c>, <c>backend.secrets[0].secretArn</c>,
    /// <c>frontend.environment.LOG_LEVEL</c>) with its value as JSON text. A null is no value, as an absent field is.
    /// </summary>
    internal static Dictionary<string, string> Leaves(string json)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement, "", leaves);
        return leaves;
    }

    private static void Collect(JsonElement element, string path, Dictionary<string, string> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, $"{path}[{index++}]", leaves);
                }

                break;
            case JsonValueKind.Null:
                break;
            default:
                leaves[path] = element.GetRawText();
                break;
        }
    }
}
