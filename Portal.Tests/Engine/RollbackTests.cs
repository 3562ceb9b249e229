using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;

namespace Portal.Tests.Engine;

/// <summary>An image tagged <c>fail-…</c> trips the ECS circuit breaker in the sandbox; the stack rolls back.</summary>
[Collection(EngineTemplates.Collection)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RollbackTests(EngineTemplates templates)
{
    private const string CircuitBreaker = "ECS Deployment Circuit Breaker was triggered";

    [Fact]
    public async Task AFailingCreateRollsBackWithTheServicesFailureAsRootCauseAndTheNextPlanDeletesTheStackFirst()
    {
        await using var host = await EngineHost.StartAsync();

        var failed = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Failing, "create"));

        Assert.Equal(StackStatus.RollbackComplete, failed.Outcome.StackStatus);
        Assert.False(failed.Outcome.Succeeded);
        AssertFrontendServiceRootCause(failed.Outcome, "CREATE_FAILED");
        Assert.Contains(failed.Events, e => e.IsStackEvent && e.ResourceStatusReason?.StartsWith("The following resource(s) failed to create") == true);
        await failed.AssertDeliveredEveryEventOnceOldestFirstAsync(host);

        var retry = await host.PlanAsync(templates.StackName, templates.Healthy, "create-again");

        Assert.Equal(ChangeSetType.Create, retry.ChangeSetType);
        Assert.Contains(retry.Notes, n => n.Contains(StackStatus.RollbackComplete) && n.Contains("deleted first"));
        Assert.NotEqual(failed.Outcome.StackId, retry.StackId);
        var created = await host.ExecuteAndWatchAsync(retry);
        Assert.Equal(StackStatus.CreateComplete, created.Outcome.StackStatus);
    }

    [Fact]
    public async Task AFailingUpdateRollsBackToThePreviousTemplateWithTheServicesFailureAsRootCause()
    {
        await using var host = await EngineHost.StartAsync();
        var created = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Healthy, "create"));
        var urlBefore = created.Outcome.Outputs.Single(o => o.OutputKey == "PublicUrl").OutputValue;

        var failed = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Failing, "update"));

        Assert.Equal(StackStatus.UpdateRollbackComplete, failed.Outcome.StackStatus);
        Assert.False(failed.Outcome.Succeeded);
        AssertFrontendServiceRootCause(failed.Outcome, "UPDATE_FAILED");
        Assert.Equal(urlBefore, failed.Outcome.Outputs.Single(o => o.OutputKey == "PublicUrl").OutputValue);
        await failed.AssertDeliveredEveryEventOnceOldestFirstAsync(host);

        // The stack still runs the previous template: planning it again changes nothing.
        var again = await host.PlanAsync(templates.StackName, templates.Healthy, "same-as-before");
        Assert.True(again.HasNoChanges);
    }

    private static void AssertFrontendServiceRootCause(WatchOutcome outcome, string resourceStatus)
    {
        var cause = outcome.RootCause!;
        Assert.Equal("AWS::ECS::Service", cause.ResourceType);
        Assert.StartsWith("FrontendService", cause.LogicalResourceId);
        Assert.Equal(resourceStatus, cause.ResourceStatus);
        Assert.Contains(CircuitBreaker, cause.Reason);
    }
}
