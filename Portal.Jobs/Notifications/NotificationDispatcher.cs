using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;

namespace Portal.Jobs.Notifications;

/// <summary>
/// Turns saved <see cref="Notification"/>s into Hangfire delivery jobs, one per webhook of the target. Nudged right
/// after a change that notifies, and run every minute as a sweep, so a notification saved just before a crash (or
/// while Hangfire's storage was unreachable) still goes out. Delivery is at least once: a crash between queuing the
/// jobs and saving <see cref="Notification.QueuedAt"/> queues them again.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the minutely sweep is the retry
public sealed class NotificationDispatcher(
    IDbContextFactory<PortalDb> databases,
    IBackgroundJobClient jobs,
    IOptionsMonitor<TargetOptions> targets,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    public const string RecurringJobId = "notifications";

    private const int Batch = 200;

    /// <summary>The revision statuses whose move saves a notification (the jobs nudge after them).</summary>
    public static bool Notifies(RevisionStatus status) =>
        status is RevisionStatus.AwaitingApproval or RevisionStatus.Deployed or RevisionStatus.Failed;

    /// <summary>Queues a dispatch soon. Never fails the caller: the workflow goes on, and the sweep catches up.</summary>
    public void Nudge()
    {
        try
        {
            jobs.Enqueue<NotificationDispatcher>(dispatcher => dispatcher.DispatchAsync(CancellationToken.None));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not queue the notification dispatch; the minutely sweep will send them");
        }
    }

    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        int queued;
        do
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            queued = await db.WriteAsync(async () =>
            {
                var pending = await db.Notifications.Where(n => n.QueuedAt == null).OrderBy(n => n.Id).Take(Batch).ToListAsync(cancellationToken);
                var now = time.GetUtcNow();
                foreach (var notification in pending)
                {
                    var hooks = targets.CurrentValue.TryGetValue(notification.Target, out var target) ? target.Webhooks.Count : 0;
                    // By index, not URL: job arguments are stored and shown on the dashboard, and the URL is a secret.
                    for (var webhook = 0; webhook < hooks; webhook++)
                    {
                        var (id, index) = (notification.Id, webhook);
                        jobs.Enqueue<WebhookDelivery>(delivery => delivery.DeliverAsync(id, index, CancellationToken.None));
                    }
                    notification.MarkQueued(now);
                }
                await db.SaveChangesAsync(cancellationToken);
                return pending.Count;
            }, cancellationToken);
        }
        while (queued == Batch);
    }
}
