using System.Text.Json;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

public enum DriftCheckStatus
{
    /// <summary>Queued or detecting.</summary>
    Running,
    InSync,
    Drifted,
    Failed,
    /// <summary>Not run to the end because a deploy ran on the environment.</summary>
    Skipped,
}

/// <summary>A property whose actual value differs from the template's (CloudFormation's PropertyDifference).</summary>
public sealed record DriftDifference(string PropertyPath, string ExpectedValue, string ActualValue, string DifferenceType);

/// <summary>A resource that drifted: MODIFIED (with its differences) or DELETED.</summary>
public sealed record DriftedResource(
    string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string DriftStatus, IReadOnlyList<DriftDifference> Differences);

/// <summary>
/// One drift detection of an environment's stack, asked for by someone or by the daily sweep: when it ran, what it found,
/// and the drifted resources with their property differences (stored as JSON: read whole, never queried into).
/// </summary>
public sealed class DriftCheck
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DriftCheck()
    {
    }

    public int Id { get; private set; }

    public int EnvironmentId { get; private set; }

    public Person RequestedBy { get; private set; } = null!;

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public DriftCheckStatus Status { get; private set; }

    /// <summary>CloudFormation's StackDriftDetectionId once detection started: a job run again follows it instead of starting another.</summary>
    public string? DetectionId { get; private set; }

    public int? DriftedCount { get; private set; }

    /// <summary>Why it failed or was skipped.</summary>
    public string? Reason { get; private set; }

    public string ResourcesJson { get; private set; } = "[]";

    public IReadOnlyList<DriftedResource> Resources =>
        JsonSerializer.Deserialize<List<DriftedResource>>(ResourcesJson, Json) ?? [];

    public static DriftCheck Start(int environmentId, Person requestedBy, DateTimeOffset now) => new()
    {
        EnvironmentId = environmentId,
        RequestedBy = requestedBy,
        StartedAt = now,
        Status = DriftCheckStatus.Running,
    };

    public void Detecting(string detectionId) => DetectionId = detectionId;

    /// <summary>Detection completed; <paramref name="failure"/> when CloudFormation could not check every resource.</summary>
    public void Finish(bool drifted, int driftedCount, IReadOnlyList<DriftedResource> resources, string? failure, DateTimeOffset now)
    {
        Status = failure is not null ? DriftCheckStatus.Failed : drifted ? DriftCheckStatus.Drifted : DriftCheckStatus.InSync;
        DriftedCount = driftedCount;
        ResourcesJson = JsonSerializer.Serialize(resources, Json);
        Reason = failure;
        FinishedAt = now;
    }

    public void Fail(string reason, DateTimeOffset now) => End(DriftCheckStatus.Failed, reason, now);

    public void Skip(string reason, DateTimeOffset now) => End(DriftCheckStatus.Skipped, reason, now);

    private void End(DriftCheckStatus status, string reason, DateTimeOffset now)
    {
        Status = status;
        Reason = reason;
        FinishedAt = now;
    }
}
