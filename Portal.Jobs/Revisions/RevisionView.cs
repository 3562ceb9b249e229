using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Infra.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>
/// A revision as pages show it and the API maps it; also what every command returns (read after it saved). People are shown by
/// name (<see cref="RequestedBy"/>, <see cref="EditedBy"/>, <see cref="StatusChangedBy"/>) and told apart by key
/// (<see cref="RequestedById"/>, <see cref="EditedByIds"/>, <see cref="StatusChangedById"/>, in the same order).
/// </summary>
public sealed record RevisionView(
    int Id,
    string EnvironmentName,
    int Number,
    RevisionKind Kind,
    RevisionStatus Status,
    string? StatusReason,
    string StatusChangedBy,
    PersonId StatusChangedById,
    string RequestedBy,
    PersonId RequestedById,
    IReadOnlyList<string> EditedBy,
    IReadOnlyList<PersonId> EditedByIds,
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

    /// <summary>Set while its deploy gets no answer from CloudFormation and keeps retrying.</summary>
    public RetryNotice? Retrying { get; init; }

    /// <summary>
    /// The real cause of its failed deploy as ECS, the load balancer or the logs told it; <see cref="StatusReason"/> starts
    /// with it and keeps CloudFormation's sentence after. Its readings: <see cref="ServiceHealth.EnvironmentHealthQueries.DiagnosisAsync"/>.
    /// </summary>
    public string? Cause { get; init; }

    /// <summary>
    /// What a view reads of a revision, as SQL selects it: every column but <see cref="Revision.TemplateJson"/> and <see cref="Revision.DiagnosisJson"/> (40–50 kB and up to 256 kB,
    /// read only where the architecture map draws it, see <see cref="Environments.EnvironmentQueries.TemplateJsonAsync"/>),
    /// with its environment's name and its approvals. Pages that reload every few seconds read no template.
    /// </summary>
    internal static readonly Expression<Func<Revision, RevisionRow>> Columns = r => new RevisionRow
    {
        Id = r.Id,
        EnvironmentName = r.Environment.Name,
        Number = r.Number,
        Kind = r.Kind,
        Status = r.Status,
        StatusReason = r.StatusReason,
        // People by their columns: projecting a whole complex property makes EF Core read the whole row, template included.
        StatusChangedBy = new Person(r.StatusChangedBy.Id, r.StatusChangedBy.Name),
        RequestedBy = new Person(r.RequestedBy.Id, r.RequestedBy.Name),
        EditedBy = r.EditedBy,
        SubmittedAt = r.SubmittedAt,
        StatusChangedAt = r.StatusChangedAt,
        DeployStartedAt = r.DeployStartedAt,
        FinishedAt = r.FinishedAt,
        RequiredApprovals = r.RequiredApprovals,
        ChangeSetId = r.ChangeSetId,
        ChangeSetName = r.ChangeSetName,
        PlanJson = r.PlanJson,
        SpecJson = r.SpecJson,
        PredictedDuration = r.PredictedDuration,
        RetryingSince = r.RetryingSince,
        RetryingReason = r.RetryingReason,
        DiagnosedCause = r.DiagnosedCause,
        Approvals = r.Approvals.OrderBy(a => a.Id).Select(a => new ApprovalView(a.Approver.Name, a.Approver.Id, a.Decision, a.Comment, a.At, a.ChangeSetId)).ToList(),
    };

    private static readonly Func<Revision, RevisionRow> ColumnsOf = Columns.Compile();

    /// <summary>Needs the revision's Environment and Approvals loaded.</summary>
    internal static RevisionView From(Revision r) => ColumnsOf(r).ToView();
}

/// <summary>A revision as <see cref="RevisionView.Columns"/> reads it.</summary>
internal sealed class RevisionRow
{
    public required int Id { get; init; }
    public required string EnvironmentName { get; init; }
    public required int Number { get; init; }
    public required RevisionKind Kind { get; init; }
    public required RevisionStatus Status { get; init; }
    public required string? StatusReason { get; init; }
    public required Person StatusChangedBy { get; init; }
    public required Person RequestedBy { get; init; }
    public required IReadOnlyList<Person> EditedBy { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public required DateTimeOffset StatusChangedAt { get; init; }
    public required DateTimeOffset? DeployStartedAt { get; init; }
    public required DateTimeOffset? FinishedAt { get; init; }
    public required int RequiredApprovals { get; init; }
    public required string? ChangeSetId { get; init; }
    public required string? ChangeSetName { get; init; }
    public required string? PlanJson { get; init; }
    public required string SpecJson { get; init; }
    public required TimeSpan? PredictedDuration { get; init; }
    public required DateTimeOffset? RetryingSince { get; init; }
    public required string? RetryingReason { get; init; }
    public required string? DiagnosedCause { get; init; }
    public required List<ApprovalView> Approvals { get; init; }

    public RevisionView ToView() => new(
        Id, EnvironmentName, Number, Kind, Status, StatusReason, StatusChangedBy.Name, StatusChangedBy.Id, RequestedBy.Name, RequestedBy.Id,
        [.. EditedBy.Select(p => p.Name)], [.. EditedBy.Select(p => p.Id)], SubmittedAt, StatusChangedAt,
        DeployStartedAt, FinishedAt, RequiredApprovals, ApprovalPolicy.CountApprovals(Approvals, ChangeSetId), ChangeSetId, ChangeSetName,
        PlanJson, Revisions.SpecJson.Parse(SpecJson), Approvals)
    {
        PredictedDuration = PredictedDuration,
        Retrying = RetryingSince is { } since ? new RetryNotice(since, RetryingReason ?? "") : null,
        Cause = DiagnosedCause,
    };
}

/// <summary>A deploy waiting out a CloudFormation that does not answer: since when, and the last failure's message.</summary>
public sealed record RetryNotice(DateTimeOffset Since, string Reason);

/// <summary>One decision: the approver by name (shown) and by key (<see cref="ApproverId"/>, what counts).</summary>
public sealed record ApprovalView(
    string Approver, PersonId ApproverId, ApprovalDecision Decision, string? Comment, DateTimeOffset At, string? ChangeSetId);

internal static class RevisionLoading
{
    /// <summary>A revision ready to change: tracked, with its environment and approvals.</summary>
    public static async Task<Revision> LoadForChangeAsync(this PortalDb db, int revisionId, CancellationToken cancellationToken) =>
        await db.Revisions.Include(r => r.Environment).Include(r => r.Approvals)
            .SingleOrDefaultAsync(r => r.Id == revisionId, cancellationToken)
        ?? throw WorkflowException.NotFound($"there is no revision with id {revisionId}");

    /// <summary>The revision as saved now (jobs may have moved it on since the caller's own save).</summary>
    public static async Task<RevisionView> ReadViewAsync(this PortalDb db, int revisionId, CancellationToken cancellationToken) =>
        (await db.Revisions.Where(r => r.Id == revisionId).Select(RevisionView.Columns).SingleAsync(cancellationToken)).ToView();
}
