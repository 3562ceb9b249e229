using Portal.Infra.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Workflow;

/// <summary>
/// A failed update that CloudFormation rolled back leaves the stack serving the deployed revision: the environment
/// stays Deployed and only the revision is Failed. Any other failed deploy leaves the environment Failed.
/// </summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RolledBackUpdateTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>orders-dev with revision 1 deployed and revision 2 (an update) deploying.</summary>
    private async Task<RevisionView> DeployingUpdateAsync()
    {
        await DeployAsync((await ApproveAsync(await SubmitAsync("orders-dev"), Bob)).Id);
        var update = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "fail-2.0.0")), Alice, None);
        update = await ApproveAsync(update, Bob);
        return await AsJobAsync(update.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));
    }

    [Fact]
    public async Task AnUpdateThatRolledBackLeavesTheEnvironmentDeployedOnItsPreviousRevision()
    {
        var update = await DeployingUpdateAsync();

        var failed = await AsJobAsync(update.Id, r => r.FailDeploy(Person.Portal,
            "UPDATE_ROLLBACK_COMPLETE: Service web did not stabilize", StackStatus.UpdateRollbackComplete));

        Assert.Equal((RevisionStatus.Failed, "UPDATE_ROLLBACK_COMPLETE: Service web did not stabilize"), (failed.Status, failed.StatusReason));
        var view = await Queries.GetAsync("orders-dev", None);
        Assert.Equal((EnvironmentStatus.Deployed, (int?)1), (view.Environment.Status, view.Environment.DeployedRevisionNumber));
        Assert.Contains(view.Audit, a => a.What == "Rolled back: revision 1 still deployed" && a.RevisionNumber == 2);
    }

    [Theory]
    [InlineData(StackStatus.UpdateRollbackFailed)]
    [InlineData(null)] // CloudFormation never ran it (the change set was refused)
    public async Task AnUpdateThatDidNotRollBackCleanlyLeavesTheEnvironmentFailed(string? finalStackStatus)
    {
        var update = await DeployingUpdateAsync();

        await AsJobAsync(update.Id, r => r.FailDeploy(Person.Portal, "it failed", finalStackStatus));

        var view = await Queries.GetAsync("orders-dev", None);
        Assert.Equal(EnvironmentStatus.Failed, view.Environment.Status);
        Assert.DoesNotContain(view.Audit, a => a.What.StartsWith("Rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACreateThatRolledBackLeavesTheEnvironmentFailed()
    {
        var create = await ApproveAsync(await SubmitAsync("orders-dev"), Bob);
        await AsJobAsync(create.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));

        await AsJobAsync(create.Id, r => r.FailDeploy(Person.Portal, "ROLLBACK_COMPLETE: no", StackStatus.RollbackComplete));

        Assert.Equal(EnvironmentStatus.Failed, (await Queries.GetAsync("orders-dev", None)).Environment.Status);
    }

    [Fact]
    public async Task AFailedDestroyLeavesTheEnvironmentFailed()
    {
        await DeployAsync((await ApproveAsync(await SubmitAsync("orders-dev"), Bob)).Id);
        var destroy = await ApproveAsync(await Environments.DestroyAsync(new RequestDestroy("orders-dev"), Alice, None), Carol);
        await AsJobAsync(destroy.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));

        await AsJobAsync(destroy.Id, r => r.FailDeploy(Person.Portal, "DELETE_FAILED: bucket not empty", StackStatus.DeleteFailed));

        Assert.Equal(EnvironmentStatus.Failed, (await Queries.GetAsync("orders-dev", None)).Environment.Status);
    }
}
