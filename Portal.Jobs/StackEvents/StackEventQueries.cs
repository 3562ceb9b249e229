using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.StackEvents;

/// <summary>A stored stack event as pages and the API show it; <see cref="Id"/> is the resume cursor.</summary>
public sealed record StackEventView(
    long Id, int RevisionNumber, string EventId, DateTimeOffset Timestamp, string LogicalResourceId,
    string? PhysicalResourceId, string ResourceType, string ResourceStatus, string? ResourceStatusReason);

public sealed class StackEventQueries(IDbContextFactory<PortalDb> databases)
{
    public const int MaxPage = 500;

    /// <summary>The environment's events after <paramref name="afterId"/> (0 for all), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StackEventView>> AfterAsync(string environmentName, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environmentId = await db.Environments.Where(e => e.Name == environmentName).Select(e => (int?)e.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
        return await (
                from e in db.StackEvents
                join r in db.Revisions on e.RevisionId equals r.Id
                where e.EnvironmentId == environmentId && e.Id > afterId
                orderby e.Id
                select new StackEventView(e.Id, r.Number, e.EventId, e.Timestamp, e.LogicalResourceId, e.PhysicalResourceId,
                    e.ResourceType, e.ResourceStatus, e.ResourceStatusReason))
            .Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
    }
}
