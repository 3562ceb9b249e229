using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.StackEvents;

/// <summary>A stored stack event as pages and the API show it; <see cref="Id"/> is the resume cursor.</summary>
public sealed record StackEventView(
    long Id, int RevisionNumber, string EventId, DateTimeOffset Timestamp, string LogicalResourceId,
    string? PhysicalResourceId, string ResourceType, string ResourceStatus, string? ResourceStatusReason);

/// <summary>Where an environment stands: its status and its current revision's (what a live view announces when it changes).</summary>
public sealed record DeploymentStatusView(
    string Environment, EnvironmentStatus EnvironmentStatus, int RevisionNumber, RevisionKind RevisionKind,
    RevisionStatus RevisionStatus, string? StatusReason);

public sealed class StackEventQueries(IDbContextFactory<PortalDb> databases)
{
    public const int MaxPage = 500;

    /// <summary>The environment's events after <paramref name="afterId"/> (0 for all), oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<StackEventView>> AfterAsync(string environmentName, long afterId, int limit, CancellationToken cancellationToken) =>
        AfterAsync(environmentName, revisionNumber: null, afterId, limit, cancellationToken);

    /// <summary>As <see cref="AfterAsync(string, long, int, CancellationToken)"/>, only one revision's events when <paramref name="revisionNumber"/> is given.</summary>
    public async Task<IReadOnlyList<StackEventView>> AfterAsync(
        string environmentName, int? revisionNumber, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environmentId = await db.Environments.Where(e => e.Name == environmentName).Select(e => (int?)e.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw NoSuchEnvironment(environmentName);
        return await (
                from e in db.StackEvents
                join r in db.Revisions on e.RevisionId equals r.Id
                where e.EnvironmentId == environmentId && e.Id > afterId && (revisionNumber == null || r.Number == revisionNumber)
                orderby e.Id
                select new StackEventView(e.Id, r.Number, e.EventId, e.Timestamp, e.LogicalResourceId, e.PhysicalResourceId,
                    e.ResourceType, e.ResourceStatus, e.ResourceStatusReason))
            .Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    /// <summary>The environment's status and its current revision's, in one small query (live views ask every second).</summary>
    public async Task<DeploymentStatusView> StatusAsync(string environmentName, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await (
                from e in db.Environments
                join r in db.Revisions on new { Id = e.Id, Number = e.CurrentRevisionNumber } equals new { Id = r.EnvironmentId, r.Number }
                where e.Name == environmentName
                select new DeploymentStatusView(e.Name, e.Status, r.Number, r.Kind, r.Status, r.StatusReason))
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? throw NoSuchEnvironment(environmentName);
    }

    private static WorkflowException NoSuchEnvironment(string name) => WorkflowException.NotFound($"there is no environment named '{name}'");
}
