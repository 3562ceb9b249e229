using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Audit;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

/// <summary>A row of the environments table: the owner by name (shown) and by key (<see cref="OwnerId"/>, who may change it).</summary>
public sealed record EnvironmentSummary(
    string Name,
    string Target,
    string StackName,
    EnvironmentStatus Status,
    string Owner,
    PersonId OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangeAt,
    int CurrentRevisionNumber,
    RevisionKind CurrentRevisionKind,
    RevisionStatus CurrentRevisionStatus,
    int? DeployedRevisionNumber)
{
    /// <summary>Since when its Deployed stack no longer exists (deleted outside the portal); null while it stands.</summary>
    public DateTimeOffset? StackMissingSince { get; init; }
}

/// <summary>The environment page: revisions newest first, with their approvals; the audit trail oldest first.</summary>
public sealed record EnvironmentDetail(
    EnvironmentSummary Environment,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<RevisionView> Revisions,
    IReadOnlyList<AuditView> Audit)
{
    /// <summary>The revision whose spec is live (what a change is compared with); null before the first deploy and after a destroy.</summary>
    [JsonIgnore]
    public RevisionView? DeployedRevision => Revisions.FirstOrDefault(r => r.Number == Environment.DeployedRevisionNumber);
}

/// <summary>What the environments table can sort by.</summary>
public enum EnvironmentSortKey
{
    Name,
    Target,
    Status,
    Owner,
    LastChange,
}

/// <summary>
/// One page of the environments table: environments whose name, target, owner or status contains <see cref="Search"/>
/// (ignoring case), sorted (then by name), page <see cref="Page"/> (from 0) of <see cref="PageSize"/> rows.
/// </summary>
public sealed record EnvironmentListQuery(
    string? Search = null, EnvironmentSortKey SortBy = EnvironmentSortKey.Name, bool Descending = false, int Page = 0, int PageSize = 10)
{
    public const int MaxPageSize = 100;
}

/// <summary>A page of environments and how many match in all.</summary>
public sealed record EnvironmentListPage(IReadOnlyList<EnvironmentSummary> Items, int Total);

/// <summary>Everyone signed in may read every environment (engineers see all, change their own).</summary>
public sealed class EnvironmentQueries(IDbContextFactory<PortalDb> databases)
{
    /// <summary>Every environment, by name (the API's list).</summary>
    public async Task<IReadOnlyList<EnvironmentSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await SummaryRows(db).OrderBy(row => row.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(row => row.ToSummary())];
    }

    /// <summary>
    /// One page of the environments table, searched, sorted and paged by SQLite: a page reads its rows, not every
    /// environment (with 10,000 of them, loading all took the page over 300 ms; see docs/BENCHMARKS.md).
    /// </summary>
    public async Task<EnvironmentListPage> PageAsync(EnvironmentListQuery query, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = SummaryRows(db);
        if (query.Search?.Trim() is { Length: > 0 } search)
        {
            // Lower on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not. The statuses are few, so
            // which of them match is decided here.
            var pattern = "%" + search.ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            var statuses = Enum.GetValues<EnvironmentStatus>().Where(s => s.ToString().Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();
            rows = rows.Where(r => EF.Functions.Like(r.Name.ToLower(), pattern, @"\") || EF.Functions.Like(r.Target.ToLower(), pattern, @"\")
                                   || EF.Functions.Like(r.Owner.ToLower(), pattern, @"\") || statuses.Contains(r.Status));
        }

        var total = await rows.CountAsync(cancellationToken);
        var sorted = query.SortBy switch
        {
            EnvironmentSortKey.Target => Order(rows, r => r.Target, query.Descending),
            EnvironmentSortKey.Status => Order(rows, r => r.Status, query.Descending),
            EnvironmentSortKey.Owner => Order(rows, r => r.Owner, query.Descending),
            // Stored as fixed-width UTC text, so SQLite compares and sorts the instants correctly.
            EnvironmentSortKey.LastChange => Order(rows, r => r.RevisionChangedAt > r.EnvironmentChangedAt ? r.RevisionChangedAt : r.EnvironmentChangedAt, query.Descending),
            _ => Order(rows, r => r.Name, query.Descending),
        };
        var pageSize = Math.Clamp(query.PageSize, 1, EnvironmentListQuery.MaxPageSize);
        var page = await sorted.ThenBy(r => r.Name).Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new EnvironmentListPage([.. page.Select(row => row.ToSummary())], total);
    }

    private static IOrderedQueryable<SummaryRow> Order<TKey>(IQueryable<SummaryRow> rows, Expression<Func<SummaryRow, TKey>> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);

    /// <summary>The environment page and the API's environment: its revisions without their templates (see <see cref="RevisionView.Columns"/>).</summary>
    public async Task<EnvironmentDetail> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.AsNoTracking()
            .SingleOrDefaultAsync(e => e.Name == name, cancellationToken)
            ?? throw NoSuchEnvironment(name);
        var revisions = (await db.Revisions
                .Where(r => r.EnvironmentId == environment.Id)
                .OrderByDescending(r => r.Number)
                .Select(RevisionView.Columns)
                .AsSplitQuery()
                .ToListAsync(cancellationToken))
            .Select(row => row.ToView()).ToList();
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EnvironmentName == name)
            .OrderBy(a => a.Id)
            .Select(a => new AuditView(a.At, a.Who.Name, a.Who.Id, a.What, a.RevisionNumber, a.Details))
            .ToListAsync(cancellationToken);
        return new EnvironmentDetail(Summarize(environment, revisions[0]), environment.Outputs, revisions, audit);
    }

    public async Task<RevisionView> GetRevisionAsync(string name, int number, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.Revisions
            .Where(r => r.Environment.Name == name && r.Number == number)
            .Select(RevisionView.Columns)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw (await db.Environments.AnyAsync(e => e.Name == name, cancellationToken)
                ? WorkflowException.NotFound($"{name} has no revision {number}")
                : NoSuchEnvironment(name));
        return revision.ToView();
    }

    /// <summary>The revision deployed now (what a change is compared with), or null while nothing is deployed.</summary>
    public async Task<RevisionView?> GetDeployedRevisionAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.Revisions
            .Where(r => r.Environment.Name == name && r.Number == r.Environment.DeployedRevisionNumber)
            .Select(RevisionView.Columns)
            .SingleOrDefaultAsync(cancellationToken);
        return revision?.ToView();
    }

    /// <summary>
    /// The template a revision's plan synthesized (null before its plan, or for a revision planned before templates were
    /// stored). <see cref="RevisionView"/> leaves it out: pages and the API do not carry ~50 kB per revision.
    /// </summary>
    public async Task<string?> TemplateJsonAsync(int revisionId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Revisions.Where(r => r.Id == revisionId).Select(r => r.TemplateJson).SingleOrDefaultAsync(cancellationToken);
    }

    private static WorkflowException NoSuchEnvironment(string name) =>
        WorkflowException.NotFound($"there is no environment named '{name}'");

    private static EnvironmentSummary Summarize(ManagedEnvironment e, RevisionView current) => new SummaryRow
    {
        Name = e.Name,
        Target = e.Target,
        StackName = e.StackName,
        Status = e.Status,
        Owner = e.CreatedBy.Name,
        OwnerId = e.CreatedBy.Id,
        CreatedAt = e.CreatedAt,
        EnvironmentChangedAt = e.StatusChangedAt,
        RevisionChangedAt = current.StatusChangedAt,
        CurrentRevisionNumber = current.Number,
        CurrentRevisionKind = current.Kind,
        CurrentRevisionStatus = current.Status,
        DeployedRevisionNumber = e.DeployedRevisionNumber,
        StackMissingSince = e.StackMissingSince,
    }.ToSummary();

    /// <summary>
    /// Each environment with its current revision, only the columns a summary shows: never the revisions' specs and
    /// plans (kilobytes each), which a list of thousands must not read.
    /// </summary>
    private static IQueryable<SummaryRow> SummaryRows(PortalDb db) =>
        from e in db.Environments.AsNoTracking()
        join r in db.Revisions on new { Id = e.Id, Number = e.CurrentRevisionNumber } equals new { Id = r.EnvironmentId, r.Number }
        select new SummaryRow
        {
            Name = e.Name,
            Target = e.Target,
            StackName = e.StackName,
            Status = e.Status,
            Owner = e.CreatedBy.Name,
            OwnerId = e.CreatedBy.Id,
            CreatedAt = e.CreatedAt,
            EnvironmentChangedAt = e.StatusChangedAt,
            RevisionChangedAt = r.StatusChangedAt,
            CurrentRevisionNumber = r.Number,
            CurrentRevisionKind = r.Kind,
            CurrentRevisionStatus = r.Status,
            DeployedRevisionNumber = e.DeployedRevisionNumber,
            StackMissingSince = e.StackMissingSince,
        };

    /// <summary>A summary as SQL reads it (an object initializer, so queries can still filter and sort on it).</summary>
    private sealed class SummaryRow
    {
        public required string Name { get; init; }
        public required string Target { get; init; }
        public required string StackName { get; init; }
        public required EnvironmentStatus Status { get; init; }
        public required string Owner { get; init; }
        public required PersonId OwnerId { get; init; }
        public required DateTimeOffset CreatedAt { get; init; }
        public required DateTimeOffset EnvironmentChangedAt { get; init; }
        public required DateTimeOffset RevisionChangedAt { get; init; }
        public required int CurrentRevisionNumber { get; init; }
        public required RevisionKind CurrentRevisionKind { get; init; }
        public required RevisionStatus CurrentRevisionStatus { get; init; }
        public required int? DeployedRevisionNumber { get; init; }
        public required DateTimeOffset? StackMissingSince { get; init; }

        public EnvironmentSummary ToSummary() => new(
            Name, Target, StackName, Status, Owner, OwnerId, CreatedAt,
            RevisionChangedAt > EnvironmentChangedAt ? RevisionChangedAt : EnvironmentChangedAt,
            CurrentRevisionNumber, CurrentRevisionKind, CurrentRevisionStatus, DeployedRevisionNumber)
        {
            StackMissingSince = StackMissingSince,
        };
    }
}
