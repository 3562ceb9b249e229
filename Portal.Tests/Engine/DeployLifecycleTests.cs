using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;

namespace Portal.Tests.Engine;

/// <summary>Plan → execute → watch through the real client over HTTP against the sandbox, with synthesized templates.</summary>
[Collection(EngineTemplates.Collection)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DeployLifecycleTests(EngineTemplates templates)
{
    [Fact]
    public async Task AnEnvironmentIsCreatedUpdatedAndDeletedWithEveryEventHandedOnOnceOldestFirst()
    {
        await using var host = await EngineHost.StartAsync();

        var createPlan = await host.PlanAsync(templates.StackName, templates.Healthy, "create");
        Assert.Equal(ChangeSetType.Create, createPlan.ChangeSetType);
        Assert.Equal(templates.HealthyResourceCount, createPlan.Changes.Count);
        Assert.All(createPlan.Changes, c => Assert.Equal("Add", c.Action));
        var created = await host.ExecuteAndWatchAsync(createPlan);
        Assert.Equal(StackStatus.CreateComplete, created.Outcome.StackStatus);
        Assert.True(created.Outcome.Succeeded);
        Assert.Matches(@"^http://portal-[\w-]*PublicAl-[A-Z0-9]{12}-\d+\.us-east-1\.elb\.amazonaws\.com$",
            created.Outcome.Outputs.Single(o => o.OutputKey == "PublicUrl").OutputValue);
        Assert.Equal(templates.HealthyResourceCount, created.Updates[^1].Settled);
        Assert.Equal(templates.HealthyResourceCount, created.Updates[^1].Total);
        Assert.Equal(StackStatus.ReviewInProgress, created.Events[0].ResourceStatus); // raised by CreateChangeSet, still this create's
        await created.AssertDeliveredEveryEventOnceOldestFirstAsync(host);

        var updatePlan = await host.PlanAsync(templates.StackName, templates.Updated, "update");
        Assert.Equal(ChangeSetType.Update, updatePlan.ChangeSetType);
        Assert.Equal(
            [("Modify", "AWS::ECS::TaskDefinition", "True"), ("Modify", "AWS::ECS::Service", "False")],
            updatePlan.Changes.Select(c => (c.Action, c.ResourceType, c.Replacement)));
        Assert.All(updatePlan.Changes, c => Assert.StartsWith("Frontend", c.LogicalResourceId));
        Assert.Equal(["ContainerDefinitions"], updatePlan.Changes[0].ReplacementCauses);
        var updated = await host.ExecuteAndWatchAsync(updatePlan);
        Assert.Equal(StackStatus.UpdateComplete, updated.Outcome.StackStatus);
        Assert.Equal(createPlan.StackId, updated.Outcome.StackId);
        Assert.Contains(updated.Outcome.Outputs, o => o.OutputKey == "PublicUrl");
        Assert.DoesNotContain(updated.Events, e => e.LogicalResourceId is { } id && !e.IsStackEvent && !id.StartsWith("Frontend", StringComparison.Ordinal));
        await updated.AssertDeliveredEveryEventOnceOldestFirstAsync(host);

        var deleted = await host.DeleteAndWatchAsync(createPlan.StackId);
        Assert.Equal(StackStatus.DeleteComplete, deleted.Outcome.StackStatus);
        Assert.True(deleted.Outcome.Succeeded);
        Assert.Equal(templates.HealthyResourceCount, deleted.Events.Count(e => e.ResourceStatus == "DELETE_COMPLETE" && !e.IsStackEvent));
        await deleted.AssertDeliveredEveryEventOnceOldestFirstAsync(host);
        Assert.Null(await ChangeSets.DescribeAsync(host.Client, templates.StackName, CancellationToken.None));
    }

    [Fact]
    public async Task ExecutingTheSameChangeSetTwiceReachesCloudFormationOnce()
    {
        await using var host = await EngineHost.StartAsync();
        var plan = await host.PlanAsync(templates.StackName, templates.Healthy, "create");

        // A job retried after it executed: the second attempt finds the change set executing, then executed.
        await host.ChangeSets.ExecuteAsync(host.Client, plan.ChangeSetId, "execute-attempt-1", CancellationToken.None);
        await host.ChangeSets.ExecuteAsync(host.Client, plan.ChangeSetId, "execute-attempt-2", CancellationToken.None);
        var watched = await host.WatchAsync(new WatchRequest { StackName = plan.StackId, Since = plan.CreationTime });
        await host.ChangeSets.ExecuteAsync(host.Client, plan.ChangeSetId, "execute-attempt-3", CancellationToken.None);

        Assert.Equal(StackStatus.CreateComplete, watched.Outcome.StackStatus);
        Assert.Equal(1, host.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    [Fact]
    public async Task AChangeSetMadeObsoleteByAnotherExecutionIsRefusedRatherThanReportedAsDeployed()
    {
        await using var host = await EngineHost.StartAsync();
        await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Healthy, "create"));
        var stale = await host.PlanAsync(templates.StackName, templates.Failing, "revision-2");
        var newer = await host.PlanAsync(templates.StackName, templates.Updated, "revision-3");
        Assert.Equal(StackStatus.UpdateComplete, (await host.ExecuteAndWatchAsync(newer)).Outcome.StackStatus);

        // Watching from the stale plan's creation time would find revision 3's UPDATE_COMPLETE.
        var refused = await Assert.ThrowsAsync<PlanFailedException>(() =>
            host.ChangeSets.ExecuteAsync(host.Client, stale.ChangeSetId, "execute-revision-2", CancellationToken.None));

        Assert.Contains("OBSOLETE", refused.Message);
        Assert.Contains("plan again", refused.Message);
        Assert.Equal(2, host.Sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }
}
