using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

/// <summary>A drift check as pages and the API show it.</summary>
public sealed record DriftCheckView(
    int Id, string EnvironmentName, string RequestedBy, PersonId RequestedById, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    DriftCheckStatus Status, int? DriftedCount, string? Reason, IReadOnlyList<DriftedResource> Resources)
{
    public bool IsRunning => Status == DriftCheckStatus.Running;

    public static DriftCheckView From(DriftCheck check, string environmentName) => new(
        check.Id, environmentName, check.RequestedBy.Name, check.RequestedBy.Id, check.StartedAt, check.FinishedAt, check.Status, check.DriftedCount,
        check.Reason, check.Resources);
}
