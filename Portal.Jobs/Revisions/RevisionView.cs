using Microsoft.EntityFrameworkCore;
using Portal.Infra.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>A revision as pages and the API show it; also what every command returns (read after it saved).</summary>
public sealed record RevisionView(
    int Id,
    string EnvironmentName,
    int Number,
    RevisionKind Kind,
    RevisionStatus Status,
    string? StatusReason,
    string StatusChangedBy,
    string RequestedBy,
    IReadOnlyList<string> EditedBy,
    DateTimeOffset SubmittedAt,
    DateTimeOffset StatusChangedAt,
    DateTimeOffset? DeployStartedAt,
    DateTimeOffset? FinishedAt,
    int RequiredApprovals,
    int ApprovalsCounted,
    string? ChangeSetId,
    string? ChangeSetName,
    string? PlanJson,
    EnvironmentSpec Spec,
    IReadOnlyList<ApprovalView> Approvals)
{
    /// <summary>The deploy ETA made when its deploy started (see <see cref="Deployments.Eta.DeployEta"/>).</summary>
    public TimeSpan? PredictedDuration { get; init; }

    /// <summary>How long its deploy took, in whole seconds (cut, as the page's elapsed time is), once finished.</summary>
    public TimeSpan? ActualDuration => DeployStartedAt is { } started && FinishedAt is { } finished
        ? TimeSpan.FromSeconds(Math.Floor((finished - started).TotalSeconds))
        : null;

    /// <summary>The remaining time while it deploys; only filled where asked for (it reads history and events).</summary>
    public Deployments.Eta.EtaView? Eta { get; init; }

    /// <summary>Set while its deploy gets no answer from CloudFormation and keeps retrying.</summary>
    public RetryNotice? Retrying { get; init; }

    /// <summary>The monthly cost and what it changes against the deployed revision; only filled where asked for (it needs the price table).</summary>
    public CostEstimateResource? Estimate { get; init; }

    /// <summary>Needs the revision's Environment and Approvals loaded.</summary>
    internal static RevisionView From(Revision r) => new(
        r.Id, r.Environment.Name, r.Number, r.Kind, r.Status, r.StatusReason, r.StatusChangedBy, r.RequestedBy,
        [.. r.EditedBy], r.SubmittedAt, r.StatusChangedAt, r.DeployStartedAt, r.FinishedAt, r.RequiredApprovals,
        ApprovalPolicy.CountApprovals(r), r.ChangeSetId, r.ChangeSetName, r.PlanJson, SpecJson.Parse(r.SpecJson),
        [.. r.Approvals.OrderBy(a => a.Id).Select(a => new ApprovalView(a.Approver, a.Decision, a.Comment, a.At, a.ChangeSetId))])
    {
        PredictedDuration = r.PredictedDuration,
        Retrying = r.RetryingSince is { } since ? new RetryNotice(since, r.RetryingReason ?? "") : null,
    };
}

/// <summary>A deploy waiting out a CloudFormation that does not answer: since when, and the last failure's message.</summary>
public sealed record RetryNotice(DateTimeOffset Since, string Reason);

public sealed record ApprovalView(string Approver, ApprovalDecision Decision, string? Comment, DateTimeOffset At, string? ChangeSetId);

internal static class RevisionLoading
{
    /// <summary>A revision ready to change: tracked, with its environment and approvals.</summary>
    public static async Task<Revision> LoadForChangeAsync(this PortalDb db, int revisionId, CancellationToken cancellationToken) =>
        await db.Revisions.Include(r => r.Environment).Include(r => r.Approvals)
            .SingleOrDefaultAsync(r => r.Id == revisionId, cancellationToken)
        ?? throw WorkflowException.NotFound($"there is no revision with id {revisionId}");

    /// <summary>The revision as saved now (jobs may have moved it on since the caller's own save).</summary>
    public static async Task<RevisionView> ReadViewAsync(this PortalDb db, int revisionId, CancellationToken cancellationToken) =>
        RevisionView.From(await db.Revisions.AsNoTracking().Include(r => r.Environment).Include(r => r.Approvals)
            .SingleAsync(r => r.Id == revisionId, cancellationToken));
}
