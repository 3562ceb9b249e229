using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Cleanup;

/// <summary>
/// Deletes what a <see cref="StackCleanup"/> names, if it is still there: the change set (by its ARN, never by name,
/// and never one CloudFormation executed) and, for a create that never deployed, its stack, only while it is
/// REVIEW_IN_PROGRESS (it holds no resources) and no newer create of the environment may use it. Every step is safe to
/// repeat: what is already gone counts as done. Queued right after the revision's end commits
/// (<see cref="StackCleanupNudge"/>), swept every minute for what is due (a failure is tried again after 1, 2, 4 …
/// 60 minutes), and queued again at start-up, so a cleanup interrupted by a crash at any point is finished.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the row's own backoff (StackCleanup.DueAt) is the retry, durable across restarts
public sealed class StackCleanupJob(
    IDbContextFactory<PortalDb> databases,
    ICloudFormationFactory cloudFormation,
    IOptions<TargetOptions> targets,
    IOptions<WatchOptions> watch,
    JobClaims claims,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<StackCleanupJob> logger)
{
    public const string RecurringJobId = "stack-cleanup";

    /// <summary>How long a queued cleanup is left to its job before the sweep queues it again (a process that died with it).</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>How long a job waits for CloudFormation to finish deleting an empty stack (seconds, normally).</summary>
    private static readonly TimeSpan DeleteDeadline = TimeSpan.FromMinutes(5);

    private const int Batch = 200;

    /// <summary>Queues a job for each cleanup that is due (the recurring sweep, and the nudge after a revision ended).</summary>
    public Task DispatchAsync(CancellationToken cancellationToken) => DispatchAsync(dueOnly: true, cancellationToken);

    /// <summary>Queues a job for every cleanup not done; <paramref name="dueOnly"/> false at start-up, ignoring leases.</summary>
    internal async Task DispatchAsync(bool dueOnly, CancellationToken cancellationToken)
    {
        var after = 0L;
        int queued;
        do
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            queued = await db.WriteAsync(async () =>
            {
                var pending = await db.StackCleanups
                    .Where(c => c.DoneAt == null && c.Id > after && (!dueOnly || c.DueAt == null || c.DueAt <= now))
                    .OrderBy(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
                foreach (var cleanup in pending)
                {
                    var id = cleanup.Id;
                    jobs.Enqueue<StackCleanupJob>(job => job.RunAsync(id, CancellationToken.None));
                    cleanup.Lease(now + Lease);
                    after = id;
                }
                await db.SaveChangesAsync(cancellationToken);
                return pending.Count;
            }, cancellationToken);
        }
        while (queued == Batch);
    }

    /// <summary>One cleanup; a failure is stored on it (<see cref="StackCleanup.LastError"/>) and tried again later.</summary>
    public async Task RunAsync(long cleanupId, CancellationToken cancellationToken)
    {
        try
        {
            await CleanAsync(cleanupId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Cleanup {CleanupId} failed; it is tried again later", cleanupId);
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await db.WriteAsync(async () =>
            {
                var cleanup = await db.StackCleanups.SingleAsync(c => c.Id == cleanupId, cancellationToken);
                if (cleanup.DoneAt is null)
                    cleanup.Fail(e.Message, time.GetUtcNow() + Backoff(cleanup.Attempts + 1));
                return await db.SaveChangesAsync(cancellationToken);
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Before a plan makes a change set: finishes every stack deletion of the environment that a cleanup decided on, so
    /// the new change set never lands on a stack that is about to be deleted. Throws what the deletion throws.
    /// </summary>
    internal async Task FinishStackDeletionsAsync(int environmentId, CancellationToken cancellationToken)
    {
        List<long> deciding;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            deciding = await db.StackCleanups.AsNoTracking()
                .Where(c => c.EnvironmentId == environmentId && c.DeletingStackId != null && c.DoneAt == null)
                .Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var id in deciding)
            await CleanAsync(id, cancellationToken);
    }

    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Min(attempts, 7) - 1)));

    private async Task CleanAsync(long cleanupId, CancellationToken cancellationToken)
    {
        var revisionId = await ReadAsync(cleanupId, c => c.DoneAt is null ? c.RevisionId : (int?)null, cancellationToken);
        if (revisionId is null)
            return;
        // After the revision's own job: a plan still running for it may yet make the change set this cleanup is for.
        await using var claim = await claims.ClaimRevisionAsync(revisionId.Value, cancellationToken);
        var cleanup = await ReadAsync(cleanupId, c => c.DoneAt is null ? c : null, cancellationToken);
        if (cleanup is null)
            return;

        var client = cloudFormation.For(cleanup.Target);
        var outcome = new List<string> { await DeleteChangeSetAsync(client, cleanup, cancellationToken) };
        if (cleanup.DeleteReviewStack)
            outcome.Add(await DeleteReviewStackAsync(client, cleanup, cancellationToken));
        await FinishAsync(cleanup, outcome, cancellationToken);
    }

    private async Task<T?> ReadAsync<T>(long cleanupId, Func<StackCleanup, T?> read, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cleanup = await db.StackCleanups.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cleanupId, cancellationToken);
        return cleanup is null ? default : read(cleanup);
    }

    private static async Task<string> DeleteChangeSetAsync(ICloudFormation client, StackCleanup cleanup, CancellationToken cancellationToken)
    {
        var name = cleanup.ChangeSetName;
        DescribeChangeSetResponse changeSet;
        try
        {
            // By ARN when the plan recorded it; else by its name, unique to this plan, on the stack it was made for.
            changeSet = await client.DescribeChangeSetAsync(cleanup.ChangeSetId is { } arn
                ? new DescribeChangeSetRequest { ChangeSetName = arn }
                : new DescribeChangeSetRequest { ChangeSetName = name, StackName = cleanup.StackName }, cancellationToken);
        }
        catch (CloudFormationException e) when (e.IsChangeSetMissing || e.IsStackMissing)
        {
            return $"change set {name} was already gone";
        }

        if (changeSet.ExecutionStatus is "EXECUTE_IN_PROGRESS" or "EXECUTE_COMPLETE" or "EXECUTE_FAILED")
            return $"change set {name} was executed and belongs to the stack's history";
        if (changeSet.Status is "CREATE_PENDING" or "CREATE_IN_PROGRESS")
            throw new InvalidOperationException($"Change set {name} is still being created; it is deleted once CloudFormation finished it.");
        var arnToDelete = changeSet.ChangeSetId
            ?? throw new InvalidOperationException($"CloudFormation described change set {name} without its id.");
        try
        {
            await client.DeleteChangeSetAsync(new DeleteChangeSetRequest { ChangeSetName = arnToDelete }, cancellationToken);
        }
        catch (CloudFormationException e) when (e.IsChangeSetMissing)
        {
            return $"change set {name} was already gone";
        }
        return $"deleted change set {name}";
    }

    private async Task<string> DeleteReviewStackAsync(ICloudFormation client, StackCleanup cleanup, CancellationToken cancellationToken)
    {
        var stackId = cleanup.DeletingStackId;
        if (stackId is null)
        {
            var stack = await ChangeSets.DescribeAsync(client, cleanup.StackName, cancellationToken);
            if (stack is null)
                return $"no stack {cleanup.StackName} was left";
            if (stack.StackStatus != StackStatus.ReviewInProgress)
                return $"stack {cleanup.StackName} kept: it is {stack.StackStatus}";
            if (await DecideAsync(cleanup.Id, stack.StackId, cancellationToken) is { } newer)
                return $"stack {cleanup.StackName} kept for revision {newer}, a newer create";
            stackId = stack.StackId;
        }

        return await DeleteEmptyStackAsync(client, cleanup, stackId, cancellationToken);
    }

    /// <summary>
    /// Decides, in the write transaction, to delete <paramref name="stackId"/> unless a newer create of the environment
    /// exists (it uses, or will use, the same stack; its own end cleans it up). Returns that create's number, or null
    /// when the deletion is decided (now or by an earlier run).
    /// </summary>
    private async Task<int?> DecideAsync(long cleanupId, string stackId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.WriteAsync(async () =>
        {
            var cleanup = await db.StackCleanups.SingleAsync(c => c.Id == cleanupId, cancellationToken);
            if (cleanup.DeletingStackId is not null)
                return (int?)null;
            var newer = await db.Revisions
                .Where(r => r.EnvironmentId == cleanup.EnvironmentId && r.Number > cleanup.RevisionNumber && r.Kind == RevisionKind.Create)
                .MaxAsync(r => (int?)r.Number, cancellationToken);
            if (newer is null)
            {
                cleanup.DecideToDelete(stackId);
                await db.SaveChangesAsync(cancellationToken);
            }
            return newer;
        }, cancellationToken);
    }

    private async Task<string> DeleteEmptyStackAsync(ICloudFormation client, StackCleanup cleanup, string stackId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + DeleteDeadline;
        var deleteSent = false;
        while (true)
        {
            var status = await StatusAsync(client, stackId, cancellationToken);
            switch (status)
            {
                case null or StackStatus.DeleteComplete:
                    return $"deleted stack {cleanup.StackName} (REVIEW_IN_PROGRESS)";
                case StackStatus.ReviewInProgress when !deleteSent:
                    await client.DeleteStackAsync(new DeleteStackRequest
                    {
                        StackName = stackId,
                        ClientRequestToken = $"portal-cleanup-{cleanup.Id}",
                        RoleARN = targets.Value.Get(cleanup.Target).CloudFormationRoleArn,
                    }, cancellationToken);
                    deleteSent = true;
                    break;
                case StackStatus.ReviewInProgress or StackStatus.DeleteInProgress:
                    break;
                default:
                    // Not empty any more, or a delete CloudFormation could not finish: a person looks at it, not this job.
                    return $"stack {cleanup.StackName} kept: it is {status}";
            }
            if (time.GetUtcNow() > deadline)
                throw new TimeoutException($"Stack {cleanup.StackName} was still {status} after {DeleteDeadline.TotalMinutes} minutes.");
            await Task.Delay(watch.Value.ActiveInterval, time, cancellationToken);
        }
    }

    /// <summary>The stack's status by id (deleted stacks still answer), or null when CloudFormation does not know it.</summary>
    private static async Task<string?> StatusAsync(ICloudFormation client, string stackId, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackId }, cancellationToken))
                .Stacks.FirstOrDefault()?.StackStatus;
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }

    /// <summary>Marks it done and, if anything was deleted, says so in the environment's audit trail.</summary>
    private async Task FinishAsync(StackCleanup done, IReadOnlyList<string> outcome, CancellationToken cancellationToken)
    {
        var text = string.Join("; ", outcome);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var cleanup = await db.StackCleanups.SingleAsync(c => c.Id == done.Id, cancellationToken);
            if (cleanup.DoneAt is not null)
                return 0;
            cleanup.Finish(text, time.GetUtcNow());
            if (outcome.Any(o => o.StartsWith("deleted", StringComparison.Ordinal)))
            {
                var environment = await db.Environments.SingleAsync(e => e.Id == cleanup.EnvironmentId, cancellationToken);
                environment.Audit(Person.Portal, "Cleaned up", cleanup.RevisionNumber, text);
            }
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        logger.LogInformation("Cleanup {CleanupId} of revision {RevisionId}: {Outcome}", done.Id, done.RevisionId, text);
    }
}
