using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;

namespace Portal.Jobs.Deployments.Eta;

/// <summary>A deploying revision's ETA: whole seconds left, and what the durations came from.</summary>
/// <param name="RemainingSeconds">Predicted seconds until the deploy settles.</param>
/// <param name="Basis">History (every duration seen on this target before), Mixed, or Default (rough: no history).</param>
/// <param name="DefaultedTypes">The resource types this target has no history for yet.</param>
public sealed record EtaView(int RemainingSeconds, EtaBasis Basis, IReadOnlyList<string> DefaultedTypes)
{
    public static EtaView From(EtaPrediction prediction) =>
        new((int)Math.Ceiling(prediction.Remaining.TotalSeconds), prediction.Basis, prediction.DefaultedTypes);
}

/// <summary>
/// Loads what <see cref="DeployEta"/> predicts from. The history of a target is its last
/// <see cref="HistoryDeploys"/> successful deploys and as many destroys (their events only, found by the
/// StackEvents(RevisionId) index: a few thousand rows however many events are stored), kept in memory per target until
/// another deploy there finishes: a live page asks every second, the database only when something new can be learned.
/// </summary>
public sealed class DeployEtaQueries(IDbContextFactory<PortalDb> databases)
{
    /// <summary>Recent deploys say more about a target than old ones, and the median needs only a handful.</summary>
    public const int HistoryDeploys = 20;

    private readonly ConcurrentDictionary<string, (int NewestDeploy, DeployHistory History)> _cache = new(StringComparer.Ordinal);

    /// <summary>The per-step medians of the target's earlier successful deploys (empty when it has none).</summary>
    public async Task<DeployHistory> HistoryAsync(string target, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var deployed = db.Revisions.Where(r => r.Status == RevisionStatus.Deployed && r.Environment.Target == target);
        var newest = await deployed.MaxAsync(r => (int?)r.Id, cancellationToken) ?? 0;
        if (_cache.TryGetValue(target, out var cached) && cached.NewestDeploy == newest)
            return cached.History;

        // Destroys apart: they are rarer, and the only source of delete durations.
        var revisionIds = await deployed.Where(r => r.Kind != RevisionKind.Destroy)
            .OrderByDescending(r => r.Id).Select(r => r.Id).Take(HistoryDeploys).ToListAsync(cancellationToken);
        revisionIds.AddRange(await deployed.Where(r => r.Kind == RevisionKind.Destroy)
            .OrderByDescending(r => r.Id).Select(r => r.Id).Take(HistoryDeploys).ToListAsync(cancellationToken));
        var events = await db.StackEvents.AsNoTracking()
            .Where(e => revisionIds.Contains(e.RevisionId))
            .Select(e => new { e.RevisionId, Event = new EtaEvent(e.LogicalResourceId, e.ResourceType, e.ResourceStatus, e.Timestamp) })
            .ToListAsync(cancellationToken);
        var history = DeployHistory.From([.. events.GroupBy(e => e.RevisionId, e => e.Event)]);
        _cache[target] = (newest, history);
        return history;
    }

    /// <summary>The whole deploy's duration as predicted before its first event (null when nothing is to deploy).</summary>
    public async Task<EtaPrediction?> AtStartAsync(string target, RevisionPlan? plan, CancellationToken cancellationToken) =>
        plan is null ? null : DeployEta.Predict(plan, await HistoryAsync(target, cancellationToken), [], DateTimeOffset.UtcNow);

    /// <summary>The remaining time of a deploying revision, from its stored events; null for any other revision.</summary>
    public async Task<EtaView?> ForAsync(RevisionView revision, CancellationToken cancellationToken)
    {
        if (revision.Status != RevisionStatus.Deploying || RevisionPlan.FromJson(revision.PlanJson) is not { } plan)
            return null;
        var history = await HistoryAsync(revision.Spec.Target, cancellationToken);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var events = await db.StackEvents.AsNoTracking()
            .Where(e => e.RevisionId == revision.Id)
            .Select(e => new EtaEvent(e.LogicalResourceId, e.ResourceType, e.ResourceStatus, e.Timestamp))
            .ToListAsync(cancellationToken);
        return DeployEta.Predict(plan, history, events, DateTimeOffset.UtcNow) is { } prediction ? EtaView.From(prediction) : null;
    }
}
