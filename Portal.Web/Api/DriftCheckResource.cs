using Portal.Jobs.Drift;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>One drift check of an environment's stack: who asked, when, what it found.</summary>
public sealed record DriftCheckResource(
    int Id, string EnvironmentName, string RequestedBy, PersonId RequestedById, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    DriftCheckStatus Status, int? DriftedCount, string? Reason, IReadOnlyList<DriftedStackResource> Resources, bool IsRunning);
