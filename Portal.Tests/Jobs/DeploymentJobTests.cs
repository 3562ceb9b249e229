using Microsoft.EntityFrameworkCore;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Tests.Sandbox;
using Portal.Tests.Workflow;
using EnvironmentStatus = Portal.Jobs.Environments.EnvironmentStatus;

namespace Portal.Tests.Jobs;

[Trait(Lanes.Category, Lanes.Api)]
public sealed class DeploymentJobTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task ASubmittedEnvironmentIsPlannedApprovedDeployedAndItsOutputsStored()
    {
        var planned = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));

        Assert.Equal(RevisionStatus.AwaitingApproval, planned.Status);
        var plan = RevisionPlan.FromJson(planned.PlanJson)!;
        Assert.Equal("CREATE", plan.Operation);
        Assert.True(plan.Guardrail!.Passed);
        Assert.Equal(plan.ResourceCounts.Values.Sum(), plan.Changes.Count);
        Assert.All(plan.Changes, c => Assert.Equal("Add", c.Action));
        Assert.NotNull(planned.ChangeSetId);

        var deployed = await _jobs.ApproveAndDeployAsync(planned.Id);

        Assert.Equal(RevisionStatus.Deployed, deployed.Status);
        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal(EnvironmentStatus.Deployed, detail.Environment.Status);
        Assert.StartsWith("http://", detail.Outputs["PublicUrl"]);
        var events = await _jobs.EventsAsync(planned.Id);
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(await _jobs.Sandbox.CountEventsAsync("portal-orders-dev"), events.Count);
        Assert.Equal("REVIEW_IN_PROGRESS", events[0].ResourceStatus);
        Assert.Equal("CREATE_COMPLETE", events[^1].ResourceStatus);
        Assert.Equal("portal-orders-dev", events[^1].LogicalResourceId);
        Assert.Equal(1, _jobs.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    [Fact]
    public async Task AnUpdatePlansOnlyWhatChangesAndAFailingImageEndsFailedWithTheRootCause()
    {
        var created = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        await _jobs.ApproveAndDeployAsync(created.Id);

        var update = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "fail-2.0.0"));

        var plan = RevisionPlan.FromJson(update.PlanJson)!;
        Assert.Equal("UPDATE", plan.Operation);
        Assert.Contains(plan.Changes, c => c.ResourceType == "AWS::ECS::TaskDefinition" && c.Replacement == "True");
        Assert.DoesNotContain(plan.Changes, c => c.ResourceType is "AWS::EC2::VPC" or "AWS::EC2::NatGateway");

        var failed = await _jobs.ApproveAndDeployAsync(update.Id);

        Assert.Equal(RevisionStatus.Failed, failed.Status);
        Assert.StartsWith("frontend: container exited with code 1; last log line: ", failed.StatusReason);
        Assert.Contains(". CloudFormation: UPDATE_ROLLBACK_COMPLETE: FrontendService", failed.StatusReason);
        Assert.Contains("Circuit Breaker", failed.StatusReason);
        Assert.DoesNotContain("The following resource(s) failed", failed.StatusReason);
        var events = await _jobs.EventsAsync(update.Id);
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", events[^1].ResourceStatus);
        // The stack rolled back to revision 1 and serves it: the environment is still Deployed, on revision 1.
        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal((EnvironmentStatus.Deployed, (int?)1), (detail.Environment.Status, detail.Environment.DeployedRevisionNumber));
    }

    [Fact]
    public async Task ACreateThatRolledBackLeavesTheEnvironmentFailed()
    {
        var failed = await _jobs.ApproveAndDeployAsync((await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "fail-1"))).Id);

        Assert.Contains(". CloudFormation: ROLLBACK_COMPLETE: ", failed.StatusReason);
        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal((EnvironmentStatus.Failed, (int?)null), (detail.Environment.Status, detail.Environment.DeployedRevisionNumber));
    }

    [Fact]
    public async Task ACreateThatRolledBackIsDeletedFirstByTheNextPlanWhichSaysSo()
    {
        var failed = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "fail-1"));
        Assert.Equal(RevisionStatus.Failed, (await _jobs.ApproveAndDeployAsync(failed.Id)).Status);

        var retry = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev"));

        Assert.Equal(RevisionKind.Create, retry.Kind);
        var plan = RevisionPlan.FromJson(retry.PlanJson)!;
        Assert.Equal("CREATE", plan.Operation);
        Assert.Contains(plan.Notes, n => n.Contains("ROLLBACK_COMPLETE") && n.Contains("deleted"));
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(retry.Id)).Status);
    }

    [Fact]
    public async Task AStackDeletedOutsideThePortalIsPlannedAsACreateThatSaysSo()
    {
        var created = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        Assert.False(RevisionPlan.FromJson(created.PlanJson)!.StackDeletedOutsideThePortal); // a first create is no surprise
        await _jobs.ApproveAndDeployAsync(created.Id);
        // Someone with console access deletes the stack.
        var cloudFormation = _jobs.Get<ICloudFormationFactory>().For("sandbox");
        await cloudFormation.DeleteStackAsync(new DeleteStackRequest { StackName = "portal-orders-dev" });
        await Poll.UntilAsync(async () => await ChangeSets.DescribeAsync(cloudFormation, "portal-orders-dev", default) is null,
            "the stack deleted outside the portal to be gone");

        var update = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "1.5.0"));

        var plan = RevisionPlan.FromJson(update.PlanJson)!;
        Assert.Equal(RevisionKind.Update, update.Kind);
        Assert.Equal("CREATE", plan.Operation);
        Assert.True(plan.StackDeletedOutsideThePortal);
        Assert.Contains($"The stack was deleted outside the portal; this revision creates it again, {plan.Changes.Count} resources.", plan.Notes);
        Assert.Equal(RevisionStatus.AwaitingApproval, update.Status);
        Assert.Equal($"the stack was deleted outside the portal; {plan.Changes.Count} changes to review", update.StatusReason);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(update.Id)).Status);
    }

    [Fact]
    public async Task AnUnchangedSpecPlansNoChangesAndDeploysWithoutExecuting()
    {
        var created = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        await _jobs.ApproveAndDeployAsync(created.Id);

        var same = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev"));

        Assert.Equal(RevisionStatus.AwaitingApproval, same.Status);
        Assert.True(RevisionPlan.FromJson(same.PlanJson)!.NoChanges, same.PlanJson);
        Assert.Equal("no changes", same.StatusReason);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(same.Id)).Status);
        Assert.Equal(1, _jobs.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    [Fact]
    public async Task ADeployInterruptedMidWatchResumesWithoutExecutingAgainOrStoringAnEventTwice()
    {
        var planned = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        await _jobs.Get<Portal.Jobs.Approvals.ApprovalCommands>().ApproveAsync(new(planned.Id), WorkflowTest.Bob, default);

        // The first run stops (as in a crash) once some events are stored.
        using var crash = new CancellationTokenSource();
        var first = _jobs.Get<DeployJob>().RunAsync(planned.Id, crash.Token);
        await Poll.UntilAsync(async () => (await _jobs.EventsAsync(planned.Id)).Count >= 5, "events stored before the stop");
        crash.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(RevisionStatus.Deploying, (await _jobs.RevisionAsync(planned.Id)).Status);

        await _jobs.Get<DeployJob>().RunAsync(planned.Id, default);

        Assert.Equal(RevisionStatus.Deployed, (await _jobs.RevisionAsync(planned.Id)).Status);
        Assert.Equal(1, _jobs.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
        var stored = await _jobs.EventsAsync(planned.Id);
        Assert.Equal(stored.Count, stored.Select(e => e.EventId).Distinct().Count());
        // Every event CloudFormation has for the stack was stored: nothing dropped across the restart, including the
        // stack's first event, REVIEW_IN_PROGRESS, which CreateChangeSet raised at plan time.
        Assert.Equal(await _jobs.Sandbox.CountEventsAsync("portal-orders-dev"), stored.Count);
        Assert.Equal("REVIEW_IN_PROGRESS", stored[0].ResourceStatus);
    }

    [Fact]
    public async Task ADestroyDeletesTheStackAndTheEnvironmentBecomesDestroyed()
    {
        var created = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        await _jobs.ApproveAndDeployAsync(created.Id);

        var destroy = await _jobs.Get<EnvironmentCommands>().DestroyAsync(new RequestDestroy("orders-dev"), WorkflowTest.Alice, default);
        await _jobs.Get<PlanJob>().RunAsync(destroy.Id, default);
        var planned = await _jobs.RevisionAsync(destroy.Id);
        Assert.Equal("DELETE", RevisionPlan.FromJson(planned.PlanJson)!.Operation);
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(destroy.Id)).Status);

        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal(EnvironmentStatus.Destroyed, detail.Environment.Status);
        Assert.Empty(detail.Outputs);
        Assert.Equal("DELETE_COMPLETE", (await _jobs.EventsAsync(destroy.Id))[^1].ResourceStatus);
    }
}
