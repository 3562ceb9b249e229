using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Jobs.Approvals;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Jobs;
using Portal.Tests.Sandbox;
using Portal.Tests.Workflow;

namespace Portal.Tests.Cleanup;

/// <summary>
/// A revision that ends without deploying leaves nothing in CloudFormation: the plan and cleanup jobs against the sandbox.
/// The test runs the cleanups itself, as a worker would, so it can stop and repeat them.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class StackCleanupTests : IAsyncLifetime
{
    private const string Stack = "portal-orders-dev";
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task ARejectedUpdateLosesItsChangeSetAndTheDeployedStackIsUntouched()
    {
        await _jobs.ApproveAndDeployAsync((await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"))).Id);
        var update = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "2.0.0"));
        Assert.True(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, update.ChangeSetId!));
        var eventsBefore = await _jobs.Sandbox.CountEventsAsync(Stack);

        await _jobs.Get<ApprovalCommands>().RejectAsync(new RejectRevision(update.Id, "not now"), WorkflowTest.Bob, default);
        await CleanupProbe.RunPendingAsync(_jobs);

        Assert.False(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, update.ChangeSetId!));
        Assert.Equal(StackStatus.CreateComplete, await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
        Assert.Equal(eventsBefore, await _jobs.Sandbox.CountEventsAsync(Stack));
        Assert.Equal(0, _jobs.Sandbox.CloudFormation.CallCount("DeleteStack"));
        var audit = (await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default)).Audit;
        Assert.Contains(audit, a => a.What == "Cleaned up" && a.RevisionNumber == update.Number && a.Details!.StartsWith("deleted change set"));
    }

    [Fact]
    public async Task AWithdrawnCreateThatNeverDeployedLosesItsChangeSetAndStackAndARepeatChangesNothing()
    {
        var create = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        Assert.Equal(StackStatus.ReviewInProgress, await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));

        await _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(create.Id), WorkflowTest.Alice, default);
        await CleanupProbe.RunPendingAsync(_jobs);

        Assert.False(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, create.ChangeSetId!));
        Assert.Null(await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
        var done = Assert.Single(await CleanupProbe.CleanupsAsync(_jobs));
        Assert.Equal($"deleted change set {create.ChangeSetName}; deleted stack {Stack} (REVIEW_IN_PROGRESS)", done.Outcome);

        // Run again (a duplicate job, a sweep racing it): nothing more reaches CloudFormation's delete calls.
        var calls = (_jobs.Sandbox.CloudFormation.CallCount("DeleteChangeSet"), _jobs.Sandbox.CloudFormation.CallCount("DeleteStack"));
        await _jobs.Get<StackCleanupJob>().RunAsync(done.Id, default);
        Assert.Equal(calls, (_jobs.Sandbox.CloudFormation.CallCount("DeleteChangeSet"), _jobs.Sandbox.CloudFormation.CallCount("DeleteStack")));
        Assert.Equal((1L, 1L), calls);
    }

    [Fact]
    public async Task TheCleanupIsQueuedAsSoonAsTheWithdrawalCommits()
    {
        var create = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        var monitoring = _jobs.Get<JobStorage>().GetMonitoringApi();
        int Dispatches() => monitoring.EnqueuedJobs("default", 0, 1000).Count(j =>
            j.Value.Job.Type == typeof(StackCleanupJob) && j.Value.Job.Method.Name == nameof(StackCleanupJob.DispatchAsync));
        var before = Dispatches();

        await _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(create.Id), WorkflowTest.Alice, default);

        Assert.Equal(before + 1, Dispatches());
        Assert.Null(Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).DoneAt);
    }

    [Fact]
    public async Task ASupersededCreateLosesItsChangeSetButTheNewerCreateKeepsTheStackAndDeploys()
    {
        var first = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        var second = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "2.0.0"));
        Assert.Equal((RevisionKind.Create, RevisionStatus.Superseded), (second.Kind, (await _jobs.RevisionAsync(first.Id)).Status));

        await CleanupProbe.RunPendingAsync(_jobs);

        Assert.False(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, first.ChangeSetId!));
        Assert.True(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, second.ChangeSetId!));
        Assert.Equal(StackStatus.ReviewInProgress, await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
        Assert.EndsWith($"stack {Stack} kept for revision 2, a newer create", Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).Outcome);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(second.Id)).Status);
    }

    [Fact]
    public async Task ACreateWithdrawnWhileCloudFormationMakesItsChangeSetLosesItOnceThePlanEnds()
    {
        var submitted = await _jobs.Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(JobsFixture.Spec("orders-dev")), WorkflowTest.Alice, default);
        var held = _jobs.Sandbox.CloudFormation.PauseAtAsync(c => c.Action == "CreateChangeSet", afterEffect: true);
        var plan = _jobs.Get<PlanJob>().RunAsync(submitted.Id, default);
        await held.WaitAsync(TimeSpan.FromSeconds(60));

        // The change set exists; the plan has not heard back, so the revision knows only its name.
        await _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(submitted.Id), WorkflowTest.Alice, default);
        var cleanup = _jobs.Get<StackCleanupJob>().RunAsync(Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).Id, default);
        _jobs.Sandbox.CloudFormation.Resume();
        await plan;
        await cleanup;
        await CleanupProbe.RunPendingAsync(_jobs);

        var cancelled = await _jobs.RevisionAsync(submitted.Id);
        Assert.Equal((RevisionStatus.Cancelled, (string?)null), (cancelled.Status, cancelled.ChangeSetId));
        Assert.Null(await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
        var cleanups = await CleanupProbe.CleanupsAsync(_jobs);
        Assert.All(cleanups, c => Assert.NotNull(c.DoneAt));
        Assert.Contains(cleanups, c => c.Outcome!.Contains($"deleted stack {Stack}"));
    }

    [Fact]
    public async Task APlanThatFailedAfterMakingItsChangeSetLosesItByTheNameItWasGiven()
    {
        var submitted = await _jobs.Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(JobsFixture.Spec("orders-dev")), WorkflowTest.Alice, default);
        // The plan job stops while it waits for the change set, before it learns the change set's id …
        var held = _jobs.Sandbox.CloudFormation.PauseAtAsync(c => c.Action == "DescribeChangeSet");
        using var stop = new CancellationTokenSource();
        var plan = _jobs.Get<PlanJob>().RunAsync(submitted.Id, stop.Token);
        await held.WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plan);
        _jobs.Sandbox.CloudFormation.Resume();
        // … and ends as it does when CloudFormation fails the change set.
        await _jobs.Get<RevisionMover>().MoveAsync(submitted.Id, r => r.Status == RevisionStatus.Planning,
            r => r.TransitionTo(RevisionStatus.PlanFailed, Person.Portal, "The change set failed: simulated"), default);
        var name = (await _jobs.RevisionAsync(submitted.Id)).ChangeSetName!;
        Assert.True(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, name, Stack));

        await CleanupProbe.RunPendingAsync(_jobs);

        Assert.False(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, name, Stack));
        Assert.Null(await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
        Assert.StartsWith($"deleted change set {name}", Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).Outcome);
    }

    [Fact]
    public async Task ADeployWithoutChangesLosesTheEmptyChangeSetCloudFormationKept()
    {
        await _jobs.ApproveAndDeployAsync((await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"))).Id);
        var same = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev"));
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(same.Id)).Status);
        Assert.True(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, same.ChangeSetId!));

        await CleanupProbe.RunPendingAsync(_jobs);

        Assert.False(await CleanupProbe.ChangeSetExistsAsync(_jobs.Sandbox, same.ChangeSetId!));
        Assert.Equal(StackStatus.CreateComplete, await CleanupProbe.StackStatusAsync(_jobs.Sandbox, Stack));
    }

    [Fact]
    public async Task AStackDeletionACrashInterruptedIsFinishedByTheNextCreateBeforeItMakesItsChangeSet()
    {
        var first = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        var oldStack = await CleanupProbe.StackIdAsync(_jobs.Sandbox, Stack);
        await _jobs.Get<RevisionCommands>().CancelAsync(new CancelRevision(first.Id), WorkflowTest.Alice, default);
        // The cleanup decided to delete the stack and dies as it asks CloudFormation to.
        var held = _jobs.Sandbox.CloudFormation.PauseAtAsync(c => c.Action == "DeleteStack");
        using var crash = new CancellationTokenSource();
        var cleanup = _jobs.Get<StackCleanupJob>().RunAsync(Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).Id, crash.Token);
        await held.WaitAsync(TimeSpan.FromSeconds(60));
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cleanup);
        _jobs.Sandbox.CloudFormation.Resume();
        Assert.Equal(oldStack, Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).DeletingStackId);

        var second = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "2.0.0"));

        Assert.Equal(RevisionStatus.AwaitingApproval, second.Status);
        Assert.Equal(StackStatus.DeleteComplete, await CleanupProbe.StackStatusAsync(_jobs.Sandbox, oldStack!));
        Assert.NotEqual(oldStack, await CleanupProbe.StackIdAsync(_jobs.Sandbox, Stack));
        Assert.NotNull(Assert.Single(await CleanupProbe.CleanupsAsync(_jobs)).DoneAt);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(second.Id)).Status);
    }
}

/// <summary>What the sandbox still holds, and the cleanups as stored.</summary>
internal static class CleanupProbe
{
    /// <summary>Runs every cleanup not done, one after another, as the jobs the sweep queues would.</summary>
    public static async Task RunPendingAsync(JobsFixture jobs)
    {
        foreach (var cleanup in (await CleanupsAsync(jobs)).Where(c => c.DoneAt is null))
            await jobs.Get<StackCleanupJob>().RunAsync(cleanup.Id, default);
    }

    public static async Task<List<StackCleanup>> CleanupsAsync(JobsFixture jobs)
    {
        await using var db = await jobs.Get<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.StackCleanups.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>By ARN, or by name on the live stack <paramref name="stackName"/>.</summary>
    public static async Task<bool> ChangeSetExistsAsync(SandboxServer sandbox, string changeSet, string? stackName = null)
    {
        using var client = sandbox.Client();
        try
        {
            await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = changeSet, StackName = stackName });
            return true;
        }
        catch (CloudFormationException e) when (e.IsChangeSetMissing)
        {
            return false;
        }
    }

    /// <summary>The stack's status (by name: the live one; by id: also a deleted one), or null when there is none.</summary>
    public static async Task<string?> StackStatusAsync(SandboxServer sandbox, string stack) =>
        (await DescribeAsync(sandbox, stack))?.StackStatus;

    public static async Task<string?> StackIdAsync(SandboxServer sandbox, string stack) =>
        (await DescribeAsync(sandbox, stack))?.StackId;

    private static async Task<Stack?> DescribeAsync(SandboxServer sandbox, string stack)
    {
        using var client = sandbox.Client();
        try
        {
            return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = stack })).Stacks.SingleOrDefault();
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }
}
