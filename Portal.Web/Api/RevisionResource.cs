using Portal.Infra.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>
/// A revision: its spec, status and approvals, its plan, and where asked for its cost and ETA. People are shown by name
/// (<see cref="RequestedBy"/>, <see cref="EditedBy"/>, <see cref="StatusChangedBy"/>) and told apart by key
/// (<see cref="RequestedById"/>, <see cref="EditedByIds"/>, <see cref="StatusChangedById"/>).
/// </summary>
public sealed record RevisionResource
{
    public required int Id { get; init; }
    public required string EnvironmentName { get; init; }
    public required int Number { get; init; }
    public required RevisionKind Kind { get; init; }
    public required RevisionStatus Status { get; init; }
    public required string? StatusReason { get; init; }
    public required string StatusChangedBy { get; init; }
    public required PersonId StatusChangedById { get; init; }
    public required string RequestedBy { get; init; }
    public required PersonId RequestedById { get; init; }
    public required IReadOnlyList<string> EditedBy { get; init; }
    public required IReadOnlyList<PersonId> EditedByIds { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public required DateTimeOffset StatusChangedAt { get; init; }
    public required DateTimeOffset? DeployStartedAt { get; init; }
    public required DateTimeOffset? FinishedAt { get; init; }
    public required int RequiredApprovals { get; init; }
    public required int ApprovalsCounted { get; init; }
    public required string? ChangeSetId { get; init; }
    public required string? ChangeSetName { get; init; }

    /// <summary>What its change set does and the guardrail's verdict; absent before its plan.</summary>
    public PlanResource? Plan { get; init; }

    public required EnvironmentSpec Spec { get; init; }
    public required IReadOnlyList<ApprovalResource> Approvals { get; init; }

    /// <summary>The deploy ETA made when its deploy started.</summary>
    public TimeSpan? PredictedDuration { get; init; }

    /// <summary>How long its deploy took, in whole seconds, once finished.</summary>
    public TimeSpan? ActualDuration { get; init; }

    /// <summary>The remaining time while it deploys; only in the answer for one revision.</summary>
    public EtaResource? Eta { get; init; }

    /// <summary>Set while its deploy gets no answer from CloudFormation and keeps retrying.</summary>
    public RetryNoticeResource? Retrying { get; init; }

    /// <summary>The monthly cost and what it changes against the deployed revision; only in the answer for one revision.</summary>
    public CostEstimateResource? Estimate { get; init; }

    /// <summary>
    /// The real cause of a failed deploy as ECS, the load balancer or the logs told it ("backend: image …/backend:1.9 not
    /// found (CannotPullContainerError)"); <see cref="StatusReason"/> starts with it and keeps CloudFormation's sentence.
    /// </summary>
    public string? Cause { get; init; }

    /// <summary>The last reading of its services its deploy stored; only in the answer for one revision.</summary>
    public ServiceDiagnosisResource? Diagnosis { get; init; }
}
