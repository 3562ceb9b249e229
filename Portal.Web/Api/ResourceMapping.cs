using Portal.Jobs.Approvals;
using Portal.Jobs.Audit;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Drift;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Jobs.StackEvents;

namespace Portal.Web.Api;

/// <summary>The one place the Jobs views become the API's resources.</summary>
public static class ResourceMapping
{
    public static EnvironmentResource ToResource(this EnvironmentSummary e) => new(
        e.Name, e.Target, e.StackName, e.Status, e.Owner, e.OwnerId, e.CreatedAt, e.LastChangeAt, e.CurrentRevisionNumber,
        e.CurrentRevisionKind, e.CurrentRevisionStatus, e.DeployedRevisionNumber, e.StackMissingSince);

    public static EnvironmentDetailResource ToResource(this EnvironmentDetail detail) => new(
        detail.Environment.ToResource(), detail.Outputs, [.. detail.Revisions.Select(r => r.ToResource())], [.. detail.Audit.Select(ToResource)]);

    public static AuditEntryResource ToResource(this AuditView a) => new(a.At, a.Who, a.WhoId, a.What, a.RevisionNumber, a.Details);

    /// <summary>The revision with its cost and, while it deploys, its ETA.</summary>
    public static RevisionResource ToResource(this RevisionDetail detail) => detail.Revision.ToResource() with
    {
        Eta = detail.Eta?.ToResource(),
        Estimate = detail.Cost.ToResource(),
        Diagnosis = detail.Diagnosis is { } diagnosis ? ServiceDiagnosisResource.From(diagnosis) : null,
    };

    /// <summary>The revision; its plan as an object, not the stored JSON text.</summary>
    public static RevisionResource ToResource(this RevisionView r) => new()
    {
        Id = r.Id,
        EnvironmentName = r.EnvironmentName,
        Number = r.Number,
        Kind = r.Kind,
        Status = r.Status,
        StatusReason = r.StatusReason,
        StatusChangedBy = r.StatusChangedBy,
        StatusChangedById = r.StatusChangedById,
        RequestedBy = r.RequestedBy,
        RequestedById = r.RequestedById,
        EditedBy = r.EditedBy,
        EditedByIds = r.EditedByIds,
        SubmittedAt = r.SubmittedAt,
        StatusChangedAt = r.StatusChangedAt,
        DeployStartedAt = r.DeployStartedAt,
        FinishedAt = r.FinishedAt,
        RequiredApprovals = r.RequiredApprovals,
        ApprovalsCounted = r.ApprovalsCounted,
        ChangeSetId = r.ChangeSetId,
        ChangeSetName = r.ChangeSetName,
        Plan = RevisionPlan.FromJson(r.PlanJson)?.ToResource(),
        Spec = r.Spec,
        Approvals = [.. r.Approvals.Select(ToResource)],
        PredictedDuration = r.PredictedDuration,
        ActualDuration = r.ActualDuration,
        Retrying = r.Retrying is { } retrying ? new RetryNoticeResource(retrying.Since, retrying.Reason) : null,
        Cause = r.Cause,
    };

    public static EnvironmentHealthResource ToResource(this EnvironmentHealth h) => new(
        h.Environment, h.State.ToString(), h.Summary, h.StackMissingSince, h.Diagnosis is { } d ? ServiceDiagnosisResource.From(d) : null);

    public static ApprovalResource ToResource(this ApprovalView a) => new(a.Approver, a.ApproverId, a.Decision, a.Comment, a.At, a.ChangeSetId);

    public static PlanResource ToResource(this RevisionPlan plan) => new(
        plan.Operation, plan.NoChanges,
        [.. plan.Changes.Select(c => new PlannedChangeResource(c.Action, c.LogicalResourceId, c.ResourceType, c.Replacement, c.ReplacementCauses))],
        plan.Guardrail, plan.Notes, plan.ResourceCounts);

    public static EtaResource ToResource(this EtaView eta) => new(eta.RemainingSeconds, eta.Basis, eta.DefaultedTypes);

    /// <summary>Null when neither side has an estimate (the target is no longer configured).</summary>
    public static CostEstimateResource? ToResource(this RevisionCost cost)
    {
        var comparison = cost.Comparison;
        if ((comparison.After ?? comparison.Before) is not { } basis) return null;
        return new CostEstimateResource(
            comparison.After?.MonthlyTotal ?? 0m, basis.Currency, basis.PricesAsOf, basis.Region, comparison.After?.Lines ?? [],
            basis.Assumptions, new CostDeltaResource(cost.ComparedWithRevision, comparison.MonthlyDifference, comparison.Lines));
    }

    public static StackEventResource ToResource(this StackEventView e) => new(
        e.Id, e.RevisionNumber, e.EventId, e.Timestamp, e.LogicalResourceId, e.PhysicalResourceId, e.ResourceType, e.ResourceStatus,
        e.ResourceStatusReason);

    public static DeploymentStatusResource ToResource(this DeploymentStatusView s) => new(
        s.Environment, s.EnvironmentStatus, s.RevisionNumber, s.RevisionKind, s.RevisionStatus, s.StatusReason);

    public static DriftCheckResource ToResource(this DriftCheckView c) => new(
        c.Id, c.EnvironmentName, c.RequestedBy, c.RequestedById, c.StartedAt, c.FinishedAt, c.Status, c.DriftedCount, c.Reason,
        [.. c.Resources.Select(r => new DriftedStackResource(r.LogicalResourceId, r.PhysicalResourceId, r.ResourceType, r.DriftStatus,
            [.. r.Differences.Select(d => new DriftDifferenceResource(d.PropertyPath, d.ExpectedValue, d.ActualValue, d.DifferenceType))]))],
        c.IsRunning);

    public static ExpiryResource ToResource(this ExpiryView e) => new(e.Environment, e.ExpiresAt, e.ExpiredAt, e.MaxDays, e.AutoApprove);
}
