using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// What was changed on a resource outside CloudFormation (a console edit, a script): property values by JSON pointer
/// (null: the property was removed), or the whole resource deleted. Kept until CloudFormation writes the resource again.
/// </summary>
internal sealed class OutOfBandChange
{
    public bool Deleted { get; set; }
    public Dictionary<string, JsonNode?> Properties { get; } = new(StringComparer.Ordinal);
}

internal sealed record SandboxPropertyDifference(string PropertyPath, string ExpectedValue, string ActualValue, string DifferenceType);

internal sealed record SandboxResourceDrift(
    string StackId, string LogicalResourceId, string PhysicalResourceId, string ResourceType, string ExpectedProperties, string? ActualProperties,
    IReadOnlyList<SandboxPropertyDifference> PropertyDifferences, string Status, DateTimeOffset Timestamp);

/// <summary>
/// One DetectStackDrift: its results are taken when it starts and shown once its simulated duration has passed,
/// as CloudFormation shows them only when the detection completes.
/// </summary>
internal sealed record SandboxDriftDetection(string Id, SandboxStack Stack, DateTimeOffset StartedAt, IReadOnlyList<SandboxResourceDrift> Results)
{
    /// <summary>Seconds at TimeScale 1.0 a detection takes (AWS: seconds to minutes, by the number of resources).</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public bool IsCompleteAt(DateTimeOffset now, double timeScale) => now - StartedAt >= Duration * timeScale;

    public int DriftedCount => Results.Count(r => r.Status is "MODIFIED" or "DELETED");
}
