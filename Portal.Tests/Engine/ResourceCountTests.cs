using Portal.Infra.Deployments;

namespace Portal.Tests.Engine;

/// <summary>The "total" of a destroy's progress: the resources a stack holds, read from its event history.</summary>
[Collection(EngineTemplates.Collection)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ResourceCountTests(EngineTemplates templates)
{
    [Fact]
    public async Task AStackHoldsAsManyResourcesAfterAReplacementAndARolledBackUpdateAsItsTemplateDeclares()
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Healthy, "create"));
        Assert.True(created.Outcome.Succeeded);
        Assert.Equal(templates.HealthyResourceCount, await CountAsync(host, created.Outcome.StackId));

        // The task definition is replaced: its old physical resource is deleted, the logical one stays.
        var updated = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Updated, "update"));
        Assert.Equal(StackStatus.UpdateComplete, updated.Outcome.StackStatus);
        Assert.Equal(templates.HealthyResourceCount, await CountAsync(host, created.Outcome.StackId));

        var failed = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Failing, "failing-update"));
        Assert.Equal(StackStatus.UpdateRollbackComplete, failed.Outcome.StackStatus);
        Assert.Equal(templates.HealthyResourceCount, await CountAsync(host, created.Outcome.StackId));

        var deleted = await host.DeleteAndWatchAsync(created.Outcome.StackId);
        Assert.Equal(StackStatus.DeleteComplete, deleted.Outcome.StackStatus);
        Assert.Equal(0, await CountAsync(host, created.Outcome.StackId));
    }

    private static async Task<int> CountAsync(EngineHost host, string stackId)
    {
        using var deadline = new CancellationTokenSource(EngineHost.Deadline);
        return await StackEventWatcher.ResourceCountAsync(host.Client, stackId, deadline.Token);
    }
}
