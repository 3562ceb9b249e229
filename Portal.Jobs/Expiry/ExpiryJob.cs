using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>
/// The recurring job (<c>Expiry:Schedule</c>): requests the destroy of every environment past its expiry through the
/// normal workflow (a Destroy revision by <see cref="ExpiryRules.Requester"/>, planned, then approved by the target's
/// policy or by approvers), again whenever the last one was withdrawn or rejected (<see cref="ExpiryRules.IsDue"/>),
/// and approves by policy what planning left awaiting approval. Safe to run twice or on two workers at once: each
/// environment is checked again inside the write transaction, and marked expired in it.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next run is the retry
public sealed class ExpiryJob(
    IDbContextFactory<PortalDb> databases,
    ExpiryRules rules,
    ITargetPolicy targets,
    IPlanScheduler plans,
    ExpiryApprovals approvals,
    NotificationDispatcher notifications,
    ILogger<ExpiryJob> logger)
{
    public const string RecurringJobId = "expiry";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = rules.Now;
        List<int> due;
        List<int> awaiting;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Environments.AsNoTracking().Where(ExpiryRules.IsDue(now)).Select(e => e.Id).ToListAsync(cancellationToken);
            awaiting = await db.Revisions.AsNoTracking()
                .Where(r => r.Status == RevisionStatus.AwaitingApproval && r.Kind == RevisionKind.Destroy && r.RequestedBy.Id == ExpiryRules.Requester.Id)
                .Select(r => r.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            if (await ExpireAsync(id, now, cancellationToken) is { } revisionId)
            {
                await plans.EnqueueAsync(revisionId, cancellationToken);
                notifications.Nudge();
            }
        }

        // Planned after a crash, or before the policy allowed it: approve what the policy approves now.
        foreach (var id in awaiting)
            await approvals.ApproveIfPolicyAllowsAsync(id, cancellationToken);
    }

    /// <summary>The new Destroy revision's id, or null when there is nothing (more) to do for this environment now.</summary>
    private async Task<int?> ExpireAsync(int environmentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        try
        {
            return await db.WriteAsync(async () =>
            {
                // Another run (or an extension) got here first.
                if (!await db.Environments.Where(ExpiryRules.IsDue(now)).AnyAsync(e => e.Id == environmentId, cancellationToken))
                    return (int?)null;
                var environment = await db.Environments
                    .Include(e => e.Revisions.Where(r => RevisionTransitions.Open.Contains(r.Status)))
                    .SingleAsync(e => e.Id == environmentId, cancellationToken);
                // A deploy in progress blocks every new revision; the next run tries again.
                if (environment.Revisions.Any(r => r.Status == RevisionStatus.Deploying))
                    return null;
                var requiredApprovals = targets.RequiredApprovals(environment.Target);
                if (requiredApprovals is null)
                {
                    logger.LogWarning("Environment {Environment} expired, but its target {Target} is no longer configured", environment.Name, environment.Target);
                    return null;
                }

                var number = environment.DeployedRevisionNumber ?? environment.CurrentRevisionNumber;
                var specJson = await db.Revisions
                    .Where(r => r.EnvironmentId == environment.Id && r.Number == number)
                    .Select(r => r.SpecJson).SingleAsync(cancellationToken);
                var revision = environment.Expire(specJson, requiredApprovals.Value, now);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Environment {Environment} expired; destroy requested as revision {Revision}", environment.Name, revision?.Number);
                return revision?.Id;
            }, cancellationToken);
        }
        catch (WorkflowException e)
        {
            // A change raced this run (a concurrent edit): the next run sees the environment as it is then.
            logger.LogWarning(e, "Expiry of environment {EnvironmentId} deferred", environmentId);
            return null;
        }
    }
}
