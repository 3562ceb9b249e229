using Microsoft.EntityFrameworkCore;
using Portal.Infra.Deployments;
using Portal.Jobs.Data;

namespace Portal.Jobs.StackEvents;

/// <summary>
/// A deploy's ear for its stack's status while events arrive by push (<see cref="WatchRequest.WaitForPush"/>): woken by
/// the feed when events of its environment are stored (and every <paramref name="checkEvery"/>, for events another
/// process stored unannounced), it reads the revision's newest stack lines and returns once one says the stack settled.
/// </summary>
public sealed class PushedStackStatus(
    IDbContextFactory<PortalDb> databases, StackEventFeed feed, string environment, string stackName, int revisionId, TimeSpan checkEvery)
    : IDisposable
{
    private readonly StackEventSubscription _subscription = new(feed, environment);
    private long _seen;

    /// <summary>Returns when a stack line stored since the last call shows a terminal status, or after <paramref name="atMost"/>.</summary>
    public async Task WaitAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + atMost;
        while (!await SettledAsync(cancellationToken))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return;
            await _subscription.WaitAsync(left < checkEvery ? left : checkEvery, cancellationToken);
        }
    }

    private async Task<bool> SettledAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var lines = await db.StackEvents.AsNoTracking()
            .Where(e => e.RevisionId == revisionId && e.Id > _seen && e.LogicalResourceId == stackName && e.ResourceType == "AWS::CloudFormation::Stack")
            .Select(e => new { e.Id, e.ResourceStatus }).ToListAsync(cancellationToken);
        if (lines.Count == 0) return false;
        _seen = lines.Max(e => e.Id);
        return lines.Any(e => StackStatus.IsTerminal(e.ResourceStatus));
    }

    public void Dispose() => _subscription.Dispose();
}
