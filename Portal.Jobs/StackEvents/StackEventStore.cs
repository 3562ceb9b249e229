using Microsoft.EntityFrameworkCore;
using Portal.Infra.Intake;
using Portal.Jobs.Data;
using CfnStackEvent = Portal.Infra.CloudFormation.StackEvent;
using Portal.Jobs.Environments;

namespace Portal.Jobs.StackEvents;

/// <summary>
/// Stores each CloudFormation event once per environment, whether polling found it, the push brought it, or both, and
/// reads them back. Polled events carry CloudFormation's EventId; a pushed one carries EventBridge's id until polling
/// finds the same event (<see cref="PushedStackEvent.SameEvent(CfnStackEvent, CfnStackEvent)"/>) and gives it
/// CloudFormation's id and exact time, so the event stays one row and keeps its place for clients that have read it.
/// </summary>
public static class StackEventStore
{
    /// <summary>
    /// Adds the polled events not stored yet (by CloudFormation EventId), oldest first so ids follow event order, and
    /// reconciles those that arrived by push. Idempotent: a watcher resumed after a crash may hand on an event again, and
    /// it is stored once. New events are announced to other processes in the same transaction (<see cref="PortalDb.AnnounceAsync"/>).
    /// </summary>
    /// <returns>How many events are new to readers (reconciled ones are not).</returns>
    public static Task<int> AppendAsync(this PortalDb db, ManagedEnvironment environment, int revisionId,
        IReadOnlyList<CfnStackEvent> events, CancellationToken cancellationToken) =>
        StoreAsync(db, environment, revisionId, events, pushed: false, cancellationToken);

    /// <summary>
    /// Adds events that arrived by push, less those already stored: a message delivered again, or an event polling
    /// stored first.
    /// </summary>
    public static Task<int> AppendPushedAsync(this PortalDb db, ManagedEnvironment environment, int revisionId,
        IReadOnlyList<CfnStackEvent> events, CancellationToken cancellationToken) =>
        StoreAsync(db, environment, revisionId, events, pushed: true, cancellationToken);

    private static async Task<int> StoreAsync(PortalDb db, ManagedEnvironment environment, int revisionId,
        IReadOnlyList<CfnStackEvent> events, bool pushed, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return 0;
        var environmentId = environment.Id;
        return await db.WriteAsync(async () =>
        {
            var ids = events.Select(e => e.EventId).ToList();
            var stored = await db.StackEvents.Where(e => e.EnvironmentId == environmentId && ids.Contains(e.EventId))
                .Select(e => e.EventId).ToListAsync(cancellationToken);
            var fresh = events.Where(e => !stored.Contains(e.EventId)).DistinctBy(e => e.EventId).OrderBy(e => e.Timestamp).ToList();
            // The stored events a match could concern: those of the same seconds, pushed ones for polled events and polled
            // ones for pushed events.
            var candidates = fresh.Count == 0 ? [] : await Window(db, environmentId, fresh, cancellationToken)
                .Where(e => e.EventId.StartsWith(PushedStackEvent.EventIdPrefix) != pushed).ToListAsync(cancellationToken);
            var added = new List<CfnStackEvent>();
            foreach (var e in fresh)
            {
                var match = candidates.FirstOrDefault(c => pushed
                    ? PushedStackEvent.SameEvent(e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason, e.Timestamp,
                        c.LogicalResourceId, c.ResourceStatus, c.ResourceStatusReason, c.Timestamp.UtcDateTime)
                    : PushedStackEvent.SameEvent(c.LogicalResourceId, c.ResourceStatus, c.ResourceStatusReason, c.Timestamp.UtcDateTime,
                        e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason, e.Timestamp));
                if (match is null)
                {
                    added.Add(e);
                    continue;
                }
                // Each stored event stands for one event: a second one just like it (the same second) is an event of its own.
                candidates.Remove(match);
                if (!pushed)
                    match.Reconcile(e.EventId, Utc(e.Timestamp), e.PhysicalResourceId, e.ResourceStatusReason);
            }
            db.StackEvents.AddRange(added.Select(e => new StackEvent(environmentId, revisionId, e.EventId, Utc(e.Timestamp),
                e.LogicalResourceId ?? "", e.PhysicalResourceId, e.ResourceType ?? "", e.ResourceStatus ?? "", e.ResourceStatusReason)));
            await db.SaveChangesAsync(cancellationToken);
            if (added.Count > 0) await db.AnnounceAsync(environment.Name, cancellationToken);
            return added.Count;
        }, cancellationToken);
    }

    /// <summary>The environment's stored events from the second of the oldest of <paramref name="events"/> to the newest plus the push's lag.</summary>
    private static IQueryable<StackEvent> Window(PortalDb db, int environmentId, List<CfnStackEvent> events, CancellationToken cancellationToken)
    {
        var from = Utc(events[0].Timestamp).AddSeconds(-1) - PushedStackEvent.Lag;
        var to = Utc(events[^1].Timestamp).AddSeconds(1) + PushedStackEvent.Lag;
        return db.StackEvents.Where(e => e.EnvironmentId == environmentId && e.Timestamp >= from && e.Timestamp <= to);
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>
    /// A revision's stored events in CloudFormation's shape, for a watcher that resumes: those polling found, since the
    /// watcher must still poll the others to reconcile them.
    /// </summary>
    public static async Task<IReadOnlyList<CfnStackEvent>> ForRevisionAsync(this PortalDb db, int revisionId,
        string stackId, string stackName, CancellationToken cancellationToken) =>
        (await db.StackEvents.AsNoTracking()
            .Where(e => e.RevisionId == revisionId && !e.EventId.StartsWith(PushedStackEvent.EventIdPrefix))
            .OrderBy(e => e.Id).ToListAsync(cancellationToken))
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
