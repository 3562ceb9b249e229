using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using CfnStackEvent = Portal.Infra.CloudFormation.StackEvent;
using Portal.Jobs.Environments;

namespace Portal.Jobs.StackEvents;

/// <summary>Stores watched events exactly once per environment and reads them back.</summary>
public static class StackEventStore
{
    /// <summary>
    /// Adds the events not stored yet (by CloudFormation EventId), oldest first so ids follow event order.
    /// Idempotent: a watcher resumed after a crash may hand on an event again, and it is stored once.
    /// New events are announced to other processes in the same transaction (<see cref="PortalDb.AnnounceAsync"/>).
    /// </summary>
    public static async Task<int> AppendAsync(this PortalDb db, ManagedEnvironment environment, int revisionId,
        IReadOnlyList<CfnStackEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return 0;
        var environmentId = environment.Id;
        return await db.WriteAsync(async () =>
        {
            var ids = events.Select(e => e.EventId).ToList();
            var stored = await db.StackEvents.Where(e => e.EnvironmentId == environmentId && ids.Contains(e.EventId))
                .Select(e => e.EventId).ToListAsync(cancellationToken);
            var fresh = events.Where(e => !stored.Contains(e.EventId)).DistinctBy(e => e.EventId).ToList();
            db.StackEvents.AddRange(fresh.Select(e => new StackEvent(environmentId, revisionId, e.EventId,
                new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc)), e.LogicalResourceId ?? "",
                e.PhysicalResourceId, e.ResourceType ?? "", e.ResourceStatus ?? "", e.ResourceStatusReason)));
            await db.SaveChangesAsync(cancellationToken);
            if (fresh.Count > 0) await db.AnnounceAsync(environment.Name, cancellationToken);
            return fresh.Count;
        }, cancellationToken);
    }

    /// <summary>A revision's stored events in CloudFormation's shape, for a watcher that resumes.</summary>
    public static async Task<IReadOnlyList<CfnStackEvent>> ForRevisionAsync(this PortalDb db, int revisionId,
        string stackId, string stackName, CancellationToken cancellationToken) =>
        (await db.StackEvents.AsNoTracking().Where(e => e.RevisionId == revisionId).OrderBy(e => e.Id).ToListAsync(cancellationToken))
        .Select(e => new CfnStackEvent
        {
            EventId = e.EventId,
            StackId = stackId,
            StackName = stackName,
            LogicalResourceId = e.LogicalResourceId,
            PhysicalResourceId = e.PhysicalResourceId,
            ResourceType = e.ResourceType,
            Timestamp = e.Timestamp.UtcDateTime,
            ResourceStatus = e.ResourceStatus,
            ResourceStatusReason = e.ResourceStatusReason,
        }).ToList();
}
