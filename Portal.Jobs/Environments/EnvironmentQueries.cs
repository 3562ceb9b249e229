using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Audit;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

/// <summary>A row of the environments table.</summary>
public sealed record EnvironmentSummary(
    string Name,
    string Target,
    string StackName,
    EnvironmentStatus Status,
    string Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangeAt,
    int CurrentRevisionNumber,
    RevisionKind CurrentRevisionKind,
    RevisionStatus CurrentRevisionStatus,
    int? DeployedRevisionNumber);

/// <summary>The environment page: revisions newest first, with their approvals; the audit trail oldest first.</summary>
public sealed record EnvironmentDetail(
    EnvironmentSummary Environment,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<RevisionView> Revisions,
    IReadOnlyList<AuditView> Audit);

/// <summary>Everyone signed in may read every environment (engineers see all, change their own).</summary>
public sealed class EnvironmentQueries(IDbContextFactory<PortalDb> databases)
{
    public async Task<IReadOnlyList<EnvironmentSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from e in db.Environments
                join r in db.Revisions on new { Id = e.Id, Number = e.CurrentRevisionNumber }
                    equals new { Id = r.EnvironmentId, r.Number }
                orderby e.Name
                select new { Environment = e, Current = r })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return [.. rows.Select(row => Summarize(row.Environment, row.Current))];
    }

    public async Task<EnvironmentDetail> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.AsNoTracking()
            .Include(e => e.Revisions).ThenInclude(r => r.Approvals)
            .AsSplitQuery()
            .SingleOrDefaultAsync(e => e.Name == name, cancellationToken)
            ?? throw NoSuchEnvironment(name);
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EnvironmentName == name)
            .OrderBy(a => a.Id)
            .Select(a => new AuditView(a.At, a.Who, a.What, a.RevisionNumber, a.Details))
            .ToListAsync(cancellationToken);
        var revisions = environment.Revisions.OrderByDescending(r => r.Number).ToList();
        return new EnvironmentDetail(
            Summarize(environment, revisions[0]), environment.Outputs, [.. revisions.Select(RevisionView.From)], audit);
    }

    public async Task<RevisionView> GetRevisionAsync(string name, int number, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.Revisions.AsNoTracking()
            .Include(r => r.Environment).Include(r => r.Approvals)
            .SingleOrDefaultAsync(r => r.Environment.Name == name && r.Number == number, cancellationToken)
            ?? throw (await db.Environments.AnyAsync(e => e.Name == name, cancellationToken)
                ? WorkflowException.NotFound($"{name} has no revision {number}")
                : NoSuchEnvironment(name));
        return RevisionView.From(revision);
    }

    private static WorkflowException NoSuchEnvironment(string name) =>
        WorkflowException.NotFound($"there is no environment named '{name}'");

    private static EnvironmentSummary Summarize(Environment e, Revision current) => new(
        e.Name, e.Target, e.StackName, e.Status, e.CreatedBy, e.CreatedAt,
        current.StatusChangedAt > e.StatusChangedAt ? current.StatusChangedAt : e.StatusChangedAt,
        current.Number, current.Kind, current.Status, e.DeployedRevisionNumber);
}
