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
/// <summary>Events of one revision of one environment, stored together with others in one transaction.</summary>
public sealed record StackEventGroup(ManagedEnvironment Environment, int RevisionId, IReadOnlyList<CfnStackEvent> Events);

public static class StackEventStore
{
    /// <summary>
    /// Adds the polled events not stored yet (by CloudFormation EventId), oldest first so ids follow event order, and
    /// reconciles those that arrived by push. Idempotent: a watcher resumed after a crash may hand on an event again, and
    /// it is stored once. New events are announced to other processes in the same transaction (<see cref="PortalDb.AnnounceAsync"/>).
    /// </summary>
    /// <returns>How many events are new to readers (reconciled ones are not).</returns>
    public static async Task<int> AppendAsync(this PortalDb db, ManagedEnvironment environment, int revisionId,
        IReadOnlyList<CfnStackEvent> events, CancellationToken cancellationToken) =>
        (await StoreAsync(db, [new StackEventGroup(environment, revisionId, events)], pushed: false, cancellationToken)).Added;

    /// <summary>
    /// Adds events that arrived by push, less those already stored: a message delivered again, or an event polling
    /// stored first. Every group in one transaction: a batch of messages names several stacks at once.
    /// </summary>
    /// <returns>The environments that have new events.</returns>
    public static async Task<IReadOnlyList<string>> AppendPushedAsync(this PortalDb db, IReadOnlyList<StackEventGroup> groups, CancellationToken cancellationToken) =>
        (await StoreAsync(db, groups, pushed: true, cancellationToken)).Environments;

    private static async Task<(int Added, IReadOnlyList<string> Environments)> StoreAsync(
        PortalDb db, IReadOnlyList<StackEventGroup> groups, bool pushed, CancellationToken cancellationToken)
    {
        var all = groups.SelectMany(g => g.Events).OrderBy(e => e.Timestamp).ToList();
        if (all.Count == 0) return (0, []);
        var environmentIds = groups.Select(g => g.Environment.Id).Distinct().ToList();
        return await db.WriteAsync(async () =>
        {
            var ids = all.Select(e => e.EventId).Distinct().ToList();
            var stored = (await db.StackEvents.Where(e => environmentIds.Contains(e.EnvironmentId) && ids.Contains(e.EventId))
                .Select(e => new { e.EnvironmentId, e.EventId }).ToListAsync(cancellationToken)).Select(e => (e.EnvironmentId, e.EventId)).ToHashSet();
            // The stored events a match could concern: those of the same seconds, pushed ones for polled events and polled
            // ones for pushed events.
            var from = Utc(all[0].Timestamp).AddSeconds(-1) - PushedStackEvent.Lag;
            var to = Utc(all[^1].Timestamp).AddSeconds(1) + PushedStackEvent.Lag;
            var candidates = await db.StackEvents
                .Where(e => environmentIds.Contains(e.EnvironmentId) && e.Timestamp >= from && e.Timestamp <= to)
                .Where(e => e.EventId.StartsWith(PushedStackEvent.EventIdPrefix) != pushed).ToListAsync(cancellationToken);
            var added = 0;
            var announced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var environmentId = group.Environment.Id;
                var fresh = group.Events.Where(e => !stored.Contains((environmentId, e.EventId))).DistinctBy(e => e.EventId).OrderBy(e => e.Timestamp).ToList();
                var adding = new List<CfnStackEvent>();
                foreach (var e in fresh)
                {
                    var match = candidates.FirstOrDefault(c => c.EnvironmentId == environmentId && (pushed
                        ? PushedStackEvent.SameEvent(e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason, e.Timestamp,
                            c.LogicalResourceId, c.ResourceStatus, c.ResourceStatusReason, c.Timestamp.UtcDateTime)
                        : PushedStackEvent.SameEvent(c.LogicalResourceId, c.ResourceStatus, c.ResourceStatusReason, c.Timestamp.UtcDateTime,
                            e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason, e.Timestamp)));
                    if (match is null)
                    {
                        adding.Add(e);
                        continue;
                    }
                    // Each stored event stands for one event: a second one just like it (the same second) is an event of its own.
                    candidates.Remove(match);
                    if (!pushed)
                        match.Reconcile(e.EventId, Utc(e.Timestamp), e.PhysicalResourceId, e.ResourceStatusReason);
                }
                db.StackEvents.AddRange(adding.Select(e => new StackEvent(environmentId, group.RevisionId, e.EventId, Utc(e.Timestamp),
                    e.LogicalResourceId ?? "", e.PhysicalResourceId, e.ResourceType ?? "", e.ResourceStatus ?? "", e.ResourceStatusReason)));
                stored.UnionWith(adding.Select(e => (environmentId, e.EventId)));
                added += adding.Count;
                if (adding.Count > 0) announced.Add(group.Environment.Name);
            }
            await db.SaveChangesAsync(cancellationToken);
            foreach (var name in announced)
                await db.AnnounceAsync(name, cancellationToken);
            return (added, (IReadOnlyList<string>)[.. announced]);
        }, cancellationToken);
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
