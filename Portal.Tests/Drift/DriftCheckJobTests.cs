using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.CloudFormation;
using Portal.Jobs.Approvals;
using Portal.Jobs.Drift;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;

namespace Portal.Tests.Drift;

[Trait(Lanes.Category, Lanes.Api)]
public sealed class DriftCheckJobTests : IAsyncLifetime
{
    private const string Name = "orders-dev";
    private const string StackName = "portal-orders-dev";
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync(services =>
        services.Configure<DriftOptions>(o => o.PollInterval = TimeSpan.FromMilliseconds(20)));

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    private async Task DeployAsync()
    {
        var planned = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec(Name));
        await _jobs.ApproveAndDeployAsync(planned.Id);
    }

    private async Task<string> FrontendServiceAsync() =>
        (await _jobs.EventsAsync()).First(e => e.ResourceType == "AWS::ECS::Service" && e.LogicalResourceId.StartsWith("Frontend")).LogicalResourceId;

    private async Task<DriftCheckView> CheckAsync(Actor? by = null)
    {
        var started = await _jobs.Get<DriftCommands>().StartAsync(Name, by ?? WorkflowTest.Alice, default);
        await _jobs.Get<DriftCheckJob>().RunAsync(started.Id, default);
        return (await _jobs.Get<DriftQueries>().LatestAsync(Name, default))!;
    }

    [Fact]
    public async Task AStackNobodyChangedIsStoredInSync()
    {
        await DeployAsync();

        var check = await CheckAsync();

        Assert.Equal(DriftCheckStatus.InSync, check.Status);
        Assert.Equal(0, check.DriftedCount);
        Assert.Empty(check.Resources);
        Assert.NotNull(check.FinishedAt);
        Assert.Equal("alice", check.RequestedBy);
    }

    [Fact]
    public async Task APropertyChangedByHandIsStoredWithItsExpectedAndActualValue()
    {
        await DeployAsync();
        var service = await FrontendServiceAsync();
        _jobs.Sandbox.CloudFormation.Drift(StackName, service, "/DesiredCount", "7");

        var check = await CheckAsync(WorkflowTest.Bob);

        Assert.Equal(DriftCheckStatus.Drifted, check.Status);
        Assert.Equal(1, check.DriftedCount);
        var resource = Assert.Single(check.Resources);
        Assert.Equal(service, resource.LogicalResourceId);
        Assert.Equal("AWS::ECS::Service", resource.ResourceType);
        Assert.Equal(StackResourceDriftStatus.Modified, resource.DriftStatus);
        var difference = Assert.Single(resource.Differences);
        Assert.Equal("/DesiredCount", difference.PropertyPath);
        Assert.Equal("7", difference.ActualValue);
        Assert.Equal(JobsFixture.Spec(Name).Frontend.DesiredCount.ToString(), difference.ExpectedValue);
        Assert.Equal(DifferenceType.NotEqual, difference.DifferenceType);
    }

    [Fact]
    public async Task ACheckIsRefusedWhileADeployIsQueuedAndOneAlreadyRunningIsNotStartedTwice()
    {
        await DeployAsync();
        var running = await _jobs.Get<DriftCommands>().StartAsync(Name, WorkflowTest.Alice, default);
        var again = await _jobs.Get<DriftCommands>().StartAsync(Name, WorkflowTest.Bob, default);
        Assert.Equal(running.Id, again.Id);
        await _jobs.Get<DriftCheckJob>().RunAsync(running.Id, default);

        var update = await _jobs.UpdateAndPlanAsync(JobsFixture.Spec(Name, tag: "2.0.0"));
        await _jobs.Get<ApprovalCommands>().ApproveAsync(new ApproveRevision(update.Id, "ok"), WorkflowTest.Bob, default);

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => _jobs.Get<DriftCommands>().StartAsync(Name, WorkflowTest.Alice, default));
        Assert.Equal(WorkflowErrorCode.Conflict, refused.Code);
        Assert.Contains("about to deploy", refused.Message);
        await _jobs.Get<DriftSweepJob>().RunAsync(default);
        Assert.Equal(running.Id, (await _jobs.Get<DriftQueries>().LatestAsync(Name, default))!.Id);
        Assert.Equal(1, _jobs.Sandbox.CloudFormation.CallCount("DetectStackDrift"));
    }

    [Fact]
    public async Task TheSweepChecksEveryDeployedEnvironmentAndSkipsOneWithoutAStack()
    {
        await DeployAsync();
        await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("billing-dev"));

        await _jobs.Get<DriftSweepJob>().RunAsync(default);

        var started = await _jobs.Get<DriftQueries>().LatestAsync(Name, default);
        Assert.Equal(DriftCheckStatus.Running, started!.Status);
        Assert.Equal((Person.Portal.Name, Person.Portal.Id), (started.RequestedBy, started.RequestedById));
        Assert.Null(await _jobs.Get<DriftQueries>().LatestAsync("billing-dev", default));
    }

    [Fact]
    public async Task AStackDeletedOutsideThePortalFailsTheCheckSayingSoAndMarksTheEnvironment()
    {
        await DeployAsync();
        var started = await _jobs.Get<DriftCommands>().StartAsync(Name, WorkflowTest.Alice, default);
        var client = _jobs.Get<ICloudFormationFactory>().For("sandbox");
        await client.DeleteStackAsync(new DeleteStackRequest { StackName = StackName });
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = StackName })).Stacks.Count == 0;
            }
            catch (CloudFormationException e) when (e.IsStackMissing)
            {
                return true;
            }
        }, "the stack deleted");

        await _jobs.Get<DriftCheckJob>().RunAsync(started.Id, default);

        var check = (await _jobs.Get<DriftQueries>().LatestAsync(Name, default))!;
        Assert.Equal(DriftCheckStatus.Failed, check.Status);
        Assert.Equal("the stack was deleted outside the portal; the next revision creates it again", check.Reason);
        Assert.NotNull((await _jobs.Get<EnvironmentQueries>().GetAsync(Name, default)).Environment.StackMissingSince);
    }
}
