using Portal.Jobs.Environments;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;

namespace Portal.Jobs.Drift;

/// <summary>
/// Runs one drift check: DetectStackDrift, then DescribeStackDriftDetectionStatus until it finishes (within
/// <see cref="DriftOptions.Deadline"/>), then every page of DescribeStackResourceDrifts for the drifted resources, stored on
/// the check. Throttling and transient errors are the client's retries; what is left fails the check with its reason.
/// Skipped when a deploy runs on the environment before or while it detects. Run again, it follows the detection it started.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class DriftCheckJob(
    IDbContextFactory<PortalDb> databases,
    ICloudFormationFactory cloudFormation,
    IOptions<DriftOptions> options,
    StackEventFeed feed,
    TimeProvider time,
    JobClaims claims,
    ILogger<DriftCheckJob> logger)
{
    public async Task RunAsync(int checkId, CancellationToken cancellationToken)
    {
        // Start-up recovery of another worker may queue the same check: the second job waits, then finds it finished.
        await using var claim = await claims.ClaimDriftCheckAsync(checkId, cancellationToken);
        var (check, environment) = await LoadAsync(checkId, cancellationToken);
        if (check.Status != DriftCheckStatus.Running)
            return;
        if (DriftRules.Unavailable(environment) is { } busy)
        {
            await UpdateAsync(checkId, c => c.Skip(busy, Now), cancellationToken);
            return;
        }

        try
        {
            var client = cloudFormation.For(environment.Target);
            var detectionId = check.DetectionId;
            if (detectionId is null)
            {
                detectionId = (await client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = environment.StackName }, cancellationToken)).StackDriftDetectionId;
                await UpdateAsync(checkId, c => c.Detecting(detectionId), cancellationToken);
            }

            var status = await WaitForDetectionAsync(client, detectionId, cancellationToken);
            if (status is null)
            {
                await UpdateAsync(checkId, c => c.Fail($"drift detection did not finish within {options.Value.Deadline}", Now), cancellationToken);
                return;
            }
            var resources = await DriftedResourcesAsync(client, environment.StackName, cancellationToken);

            // A deploy that ran meanwhile changed the stack under the detection: its result would mislead.
            var (_, current) = await LoadAsync(checkId, cancellationToken);
            if (DriftRules.Unavailable(current) is { } started)
            {
                await UpdateAsync(checkId, c => c.Skip($"a deploy started during the check: {started}", Now), cancellationToken);
                return;
            }
            if (current.StatusChangedAt > check.StartedAt)
            {
                await UpdateAsync(checkId, c => c.Skip($"{current.Name} became {current.Status} during the check; check again", Now), cancellationToken);
                return;
            }
            var failure = status.DetectionStatus == StackDriftDetectionStatus.Failed
                ? $"CloudFormation could not check every resource: {status.DetectionStatusReason ?? "no reason given"}"
                : null;
            await UpdateAsync(checkId, c => c.Finish(status.StackDriftStatus == StackDriftStatus.Drifted || resources.Count > 0,
                status.DriftedStackResourceCount ?? resources.Count, resources, failure, Now), cancellationToken);
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            // Said plainly, and recorded on the environment (its status and health panel show it too).
            await UpdateAsync(checkId, c => c.Fail(StackMissingReason, Now), cancellationToken, stackMissing: true);
        }
        catch (Exception e) when (e is CloudFormationException or HttpRequestException or TimeoutException)
        {
            logger.LogWarning(e, "Drift check {CheckId} of {Environment} failed", checkId, environment.Name);
            await UpdateAsync(checkId, c => c.Fail(e.Message, Now), cancellationToken);
        }
    }

    /// <summary>A check's reason when the stack of a Deployed environment is gone.</summary>
    public const string StackMissingReason = "the stack was deleted outside the portal; the next revision creates it again";

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The finished status, or null when the deadline passed first.</summary>
    private async Task<DescribeStackDriftDetectionStatusResponse?> WaitForDetectionAsync(ICloudFormation client, string detectionId, CancellationToken cancellationToken)
    {
        var deadline = Now + options.Value.Deadline;
        while (true)
        {
            var status = await client.DescribeStackDriftDetectionStatusAsync(
                new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = detectionId }, cancellationToken);
            if (status.IsFinished)
                return status;
            if (Now + options.Value.PollInterval > deadline)
                return null;
            await Task.Delay(options.Value.PollInterval, time, cancellationToken);
        }
    }

    private static async Task<List<DriftedResource>> DriftedResourcesAsync(ICloudFormation client, string stackName, CancellationToken cancellationToken)
    {
        var resources = new List<DriftedResource>();
        string? token = null;
        do
        {
            var page = await client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest
            {
                StackName = stackName,
                StackResourceDriftStatusFilters = [StackResourceDriftStatus.Modified, StackResourceDriftStatus.Deleted],
                NextToken = token,
            }, cancellationToken);
            resources.AddRange(page.StackResourceDrifts.Select(d => new DriftedResource(
                d.LogicalResourceId, d.PhysicalResourceId, d.ResourceType, d.StackResourceDriftStatus,
                d.PropertyDifferences.Select(p => new DriftDifference(p.PropertyPath, p.ExpectedValue, p.ActualValue, p.DifferenceType)).ToList())));
            token = page.NextToken;
        }
        while (token is not null);
        return resources;
    }

    private async Task<(DriftCheck Check, ManagedEnvironment Environment)> LoadAsync(int checkId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var check = await db.DriftChecks.AsNoTracking().SingleAsync(c => c.Id == checkId, cancellationToken);
        var environment = await db.Environments.AsNoTracking()
            .Include(e => e.Revisions.Where(r => r.Status == RevisionStatus.Approved || r.Status == RevisionStatus.Deploying))
            .SingleAsync(e => e.Id == check.EnvironmentId, cancellationToken);
        return (check, environment);
    }

    /// <param name="stackMissing">The check found the environment's stack gone: recorded on the environment in the same save.</param>
    private async Task UpdateAsync(int checkId, Action<DriftCheck> change, CancellationToken cancellationToken, bool stackMissing = false)
    {
        string environmentName;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            environmentName = await db.WriteAsync(async () =>
            {
                var check = await db.DriftChecks.SingleAsync(c => c.Id == checkId, cancellationToken);
                change(check);
                var environment = await db.Environments.SingleAsync(e => e.Id == check.EnvironmentId, cancellationToken);
                if (stackMissing)
                    environment.ReportStackMissing(Now);
                await db.SaveChangesAsync(cancellationToken);
                return environment.Name;
            }, cancellationToken);
        }
        feed.Publish(environmentName);
    }
}
