using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.ServiceHealth;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>
/// Carries out an Approved revision: executes exactly its change set (or deletes the stack for a Destroy),
/// stores every stack event before announcing it, and ends Deployed or Failed with the root cause.
/// Run again after a crash, it resumes watching: ExecuteChangeSet is not repeated once CloudFormation took it.
/// </summary>
[AutomaticRetry(Attempts = JobRetries.Attempts, DelaysInSeconds = [2, 5, 10, 20, 30, 60, 120, 300])]
public sealed class DeployJob(
    IDbContextFactory<PortalDb> databases,
    ICloudFormationFactory cloudFormation,
    ChangeSets changeSets,
    StackEventWatcher watcher,
    IOptions<TargetOptions> targets,
    RevisionMover revisions,
    StackEventFeed feed,
    JobClaims claims,
    DeployEtaQueries eta,
    ServiceDiagnosisReader services,
    IOptions<ServiceHealthOptions> serviceHealth,
    IOptions<LiveEventsOptions> liveEvents,
    TimeProvider time,
    ILogger<DeployJob> logger)
{
    private const string EcsServiceType = "AWS::ECS::Service";

    public async Task RunAsync(int revisionId, CancellationToken cancellationToken)
    {
        await using var claim = await claims.ClaimRevisionAsync(revisionId, cancellationToken);
        var revision = await revisions.MoveAsync(revisionId, r => r.Status == RevisionStatus.Approved,
            r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal), cancellationToken);
        if (revision?.Status != RevisionStatus.Deploying)
            return; // not approved (any more), or finished already

        var environment = revision.Environment;
        var client = cloudFormation.For(environment.Target);
        var plan = RevisionPlan.FromJson(revision.PlanJson);
        try
        {
            await RecordPredictionAsync(revision, plan, cancellationToken);
            var watch = revision.Kind == RevisionKind.Destroy
                ? await StartDeleteAsync(client, revision, plan, cancellationToken)
                : await StartExecuteAsync(client, revision, plan, cancellationToken);
            if (watch is null)
            {
                await revisions.MoveAsync(revisionId, r => r.Status == RevisionStatus.Deploying,
                    r => r.DeployWithoutChanges(Person.Portal), cancellationToken);
                return;
            }
            await WatchAsync(client, revision, watch, cancellationToken);
        }
        catch (Exception e) when (e is CloudFormationException { IsTransient: false } or PlanFailedException)
        {
            logger.LogWarning(e, "Deploy of revision {RevisionId} failed", revisionId);
            await FinishAsync(revisionId, succeeded: false, e.Message, outputs: null, finalStackStatus: null, cancellationToken);
        }
    }

    /// <summary>The ETA at the start, kept to show afterwards how far off it was; a resumed deploy keeps the first one.</summary>
    private async Task RecordPredictionAsync(Revision revision, RevisionPlan? plan, CancellationToken ct)
    {
        if (revision.PredictedDuration is not null || await eta.AtStartAsync(revision.Environment.Target, plan, ct) is not { } prediction)
            return;
        var predicted = TimeSpan.FromSeconds(Math.Ceiling(prediction.Remaining.TotalSeconds));
        await revisions.MoveAsync(revision.Id, r => r.Status == RevisionStatus.Deploying && r.PredictedDuration is null,
            r => r.RecordPrediction(predicted), ct);
    }

    private async Task<WatchRequest?> StartExecuteAsync(ICloudFormation client, Revision revision, RevisionPlan? plan, CancellationToken ct)
    {
        if (plan is null || plan.NoChanges || revision.ChangeSetId is null)
            return null;
        var changeSet = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = revision.ChangeSetId }, ct);
        await changeSets.ExecuteAsync(client, revision.ChangeSetId, DeploymentNames.ExecuteToken(revision.Id), ct);
        return new WatchRequest
        {
            StackName = changeSet.StackId ?? revision.Environment.StackName,
            Since = ChangeSets.WatchStart(plan.Operation == "CREATE" ? ChangeSetType.Create : ChangeSetType.Update,
                changeSet.CreationTime ?? DateTime.UtcNow),
            TotalResources = plan.Changes.Count,
        };
    }

    private async Task<WatchRequest?> StartDeleteAsync(ICloudFormation client, Revision revision, RevisionPlan? plan, CancellationToken ct)
    {
        var token = DeploymentNames.DeleteToken(revision.Id);
        // By id when the plan has it: a stack this job deleted before a crash is gone by name, but answers by id.
        var stack = plan?.StackId is { } stackId
            ? await DescribeByIdAsync(client, stackId, ct)
            : await ChangeSets.DescribeAsync(client, revision.Environment.StackName, ct);
        if (stack is null)
            return null;
        // Resumed after a crash: CloudFormation took this job's DeleteStack already (its events carry the token), and
        // may even have finished; the watch starts where that delete started, so none of its events is missed.
        var since = await StackEventWatcher.OperationStartAsync(client, stack.StackId, token, ct);
        if (since is null)
        {
            if (stack.StackStatus == StackStatus.DeleteComplete)
                return null; // deleted meanwhile, not by this revision
            since = await StackEventWatcher.AfterNewestEventAsync(client, stack.StackId, ct);
            await client.DeleteStackAsync(new DeleteStackRequest
            {
                StackName = stack.StackId,
                ClientRequestToken = token,
                RoleARN = targets.Value.Get(revision.Environment.Target).CloudFormationRoleArn,
            }, ct);
        }
        return new WatchRequest { StackName = stack.StackId, Since = since.Value, TotalResources = plan?.Changes.Count };
    }

    /// <summary>The stack, deleted or not; null when CloudFormation does not know the id.</summary>
    private static async Task<Stack?> DescribeByIdAsync(ICloudFormation client, string stackId, CancellationToken ct)
    {
        try
        {
            return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackId }, ct)).Stacks.FirstOrDefault();
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }

    private async Task WatchAsync(ICloudFormation client, Revision revision, WatchRequest request, CancellationToken ct)
    {
        var environment = revision.Environment;
        await using (var db = await databases.CreateDbContextAsync(ct))
            request = request with { KnownEvents = await db.ForRevisionAsync(revision.Id, request.StackName, environment.StackName, ct) };
        // With the target's intake, events arrive by push and polling only reconciles; the push says when the stack settled.
        using var pushed = string.IsNullOrWhiteSpace(targets.Value.Get(environment.Target).StackEventQueueUrl)
            ? null
            : new PushedStackStatus(databases, feed, environment.Name, environment.StackName, revision.Id, liveEvents.Value.CatchUpInterval);
        request = request with { WaitForPush = pushed is null ? null : pushed.WaitAsync };

        // A resumed deploy may have stopped while retrying: its notice stays until the watcher gets an answer.
        var retrying = revision.RetryingReason;
        var spec = SpecJson.Parse(revision.SpecJson);
        var nextReading = DateTimeOffset.MinValue;
        // Its services are read while it runs, so the page shows tasks, targets and ECS's events as they come: from the
        // first event of a service on (before it there is nothing to read), not while a destroy deletes them.
        var servicesStarted = request.KnownEvents.Any(e => e.ResourceType == EcsServiceType);
        await foreach (var update in watcher.WatchAsync(client, request, ct))
        {
            servicesStarted |= update.NewEvents.Any(e => e.ResourceType == EcsServiceType);
            if (update.Outcome is null && servicesStarted && revision.Kind != RevisionKind.Destroy && time.GetUtcNow() >= nextReading)
            {
                nextReading = time.GetUtcNow() + serviceHealth.Value.DeployReadInterval;
                if (await services.ReadAsync(environment.Id, environment.Target, spec, ct) is { } reading)
                    await revisions.MoveAsync(revision.Id, r => r.Status == RevisionStatus.Deploying, r => r.RecordDiagnosis(reading.ToJson(), reading.Cause), ct);
            }

            if (update.NewEvents.Count > 0)
            {
                await using var db = await databases.CreateDbContextAsync(ct);
                if (await db.AppendAsync(environment, revision.Id, update.NewEvents, ct) > 0)
                    feed.Publish(environment.Name);
            }
            // Stored (written only when it changes: the watcher says so every few seconds while it lasts), so pages on
            // every instance show it, whichever process runs this job.
            if (update.Retrying?.Message != retrying)
            {
                retrying = update.Retrying?.Message;
                await revisions.MoveAsync(revision.Id, r => r.Status == RevisionStatus.Deploying, r => r.ReportRetrying(retrying), ct);
            }

            if (update.Outcome is { } outcome)
            {
                var reason = outcome.Succeeded
                    ? outcome.StackStatus
                    : $"{outcome.StackStatus}: {outcome.RootCause?.ToString() ?? outcome.StackStatusReason ?? "no reason given"}";
                // The last reading, after the stack settled: for a failure, the stopped tasks, the targets and the logs say
                // why; for a success, what now runs.
                var diagnosis = revision.Kind == RevisionKind.Destroy ? null : await services.ReadAsync(environment.Id, environment.Target, spec, ct);
                var outputs = outcome.Outputs.Where(o => o.OutputValue is not null).ToDictionary(o => o.OutputKey, o => o.OutputValue!);
                await FinishAsync(revision.Id, outcome.Succeeded, reason, outputs, outcome.StackStatus, ct, diagnosis);
            }
        }
    }

    /// <param name="finalStackStatus">The stack's terminal status; null when CloudFormation never ran the operation.</param>
    /// <param name="diagnosis">The last reading of the services; for a failure, its real cause leads the reason and CloudFormation's sentence follows.</param>
    private Task FinishAsync(int revisionId, bool succeeded, string reason, IReadOnlyDictionary<string, string>? outputs,
        string? finalStackStatus, CancellationToken ct, ServiceDiagnosis? diagnosis = null) =>
        revisions.MoveAsync(revisionId, r => r.Status == RevisionStatus.Deploying, r =>
        {
            if (diagnosis is not null)
                r.RecordDiagnosis(diagnosis.ToJson(), diagnosis.Cause);
            if (!succeeded)
            {
                r.FailDeploy(Person.Portal, DiagnosedReason.Compose(r.DiagnosedCause, reason), finalStackStatus);
                return;
            }
            if (outputs is not null && r.Kind != RevisionKind.Destroy)
                r.Environment.RecordOutputs(outputs);
            r.TransitionTo(RevisionStatus.Deployed, Person.Portal, reason);
        }, ct);
}
