using System.Text.Json;
using Portal.Infra.Environments;

namespace Portal.Jobs.Revisions;

/// <summary>
/// The stored form of a revision's spec: the API's camelCase JSON. The only place that (de)serializes specs here,
/// so it can be swapped for Portal.Infra's EnvironmentSpecJson in one edit.
/// </summary>
internal static class SpecJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(EnvironmentSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static EnvironmentSpec Parse(string json) =>
        JsonSerializer.Deserialize<EnvironmentSpec>(json, Options)
        ?? throw new InvalidOperationException("A stored revision spec is null.");
}
