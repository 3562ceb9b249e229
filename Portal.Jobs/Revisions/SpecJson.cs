using System.Text.Json;
using Portal.Infra.Environments;

namespace Portal.Jobs.Revisions;

/// <summary>The stored form of a revision's spec: exactly the API's JSON (<see cref="EnvironmentSpecJson"/>).</summary>
internal static class SpecJson
{
    public static string Serialize(EnvironmentSpec spec) => EnvironmentSpecJson.Serialize(spec);

    public static EnvironmentSpec Parse(string json) =>
        JsonSerializer.Deserialize<EnvironmentSpec>(json, EnvironmentSpecJson.Options)
        ?? throw new InvalidOperationException("A stored revision spec is null.");
}
