using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;

namespace Portal.Jobs.Deployments;

/// <summary>
/// The jobs' one way to change a revision: checked, saved in a write transaction, then announced (to other processes
/// with the commit, <see cref="PortalDb.AnnounceAsync"/>; to this one's <see cref="StackEventFeed"/> after it).
/// </summary>
public sealed class RevisionMover(IDbContextFactory<PortalDb> databases, StackEventFeed feed, NotificationDispatcher notifications)
{
    /// <summary>
    /// Applies <paramref name="change"/> if <paramref name="when"/> holds for the revision as saved now (another
    /// request may have superseded or cancelled it meanwhile). Returns the revision as it is after that.
    /// </summary>
    public async Task<Revision?> MoveAsync(int revisionId, Func<Revision, bool> when, Action<Revision> change, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.WriteAsync(async () =>
        {
            var r = await db.Revisions.Include(x => x.Environment).Include(x => x.Approvals)
                .SingleOrDefaultAsync(x => x.Id == revisionId, cancellationToken);
            if (r is null || !when(r)) return r;
            change(r);
            await db.SaveChangesAsync(cancellationToken);
            await db.AnnounceAsync(r.Environment.Name, cancellationToken);
            return r;
        }, cancellationToken);
        if (revision is not null) feed.Publish(revision.Environment.Name);
        if (revision is not null && NotificationDispatcher.Notifies(revision.Status)) notifications.Nudge();
        return revision;
    }
}
