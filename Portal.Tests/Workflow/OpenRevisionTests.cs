using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Workflow;

/// <summary>One open revision per environment: a new one supersedes an open one, unless that one is deploying.</summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class OpenRevisionTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    private Task<RevisionView> UpdateAsync(string tag, Actor? by = null) =>
        Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: tag)), by ?? Alice, None);

    private async Task<IReadOnlyList<RevisionView>> RevisionsAsync() =>
        (await Queries.GetAsync("orders-dev", None)).Revisions;

    [Fact]
    public async Task ANewRevisionSupersedesOneAwaitingApproval()
    {
        var first = await SubmitAsync("orders-dev");

        var second = await UpdateAsync("2.0.0");

        var superseded = await ReadAsync(first.Id);
        Assert.Equal(RevisionStatus.Superseded, superseded.Status);
        Assert.Equal("superseded by revision 2", superseded.StatusReason);
        Assert.Equal((2, RevisionKind.Create, RevisionStatus.AwaitingApproval), (second.Number, second.Kind, second.Status));
        Assert.Single(await RevisionsAsync(), r => RevisionTransitions.IsOpen(r.Status));
    }

    [Fact]
    public async Task ANewRevisionSupersedesAnApprovedOneNotYetDeploying()
    {
        var first = await ApproveAsync(await SubmitAsync("orders-dev"), Bob);

        await UpdateAsync("2.0.0");

        Assert.Equal(RevisionStatus.Superseded, (await ReadAsync(first.Id)).Status);
        await Assert.ThrowsAsync<IllegalTransitionException>(
            () => AsJobAsync(first.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal)));
    }

    [Fact]
    public async Task ADeployingRevisionMakesTheNextRequestWait()
    {
        var first = await ApproveAsync(await SubmitAsync("orders-dev"), Bob);
        await AsJobAsync(first.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));

        var update = await Assert.ThrowsAsync<WorkflowException>(() => UpdateAsync("2.0.0"));
        var destroy = await Assert.ThrowsAsync<WorkflowException>(
            () => Environments.DestroyAsync(new RequestDestroy("orders-dev"), Alice, None));

        foreach (var refused in new[] { update, destroy })
        {
            Assert.Equal(WorkflowErrorCode.Conflict, refused.Code);
            Assert.Contains("revision 1 of orders-dev is deploying; wait until it finishes", refused.Message);
        }

        Assert.Single(await RevisionsAsync());
        Assert.Equal(EnvironmentStatus.Deploying, (await Queries.GetAsync("orders-dev", None)).Environment.Status);
    }

    [Fact]
    public async Task AChangeAfterADeployIsAnUpdateAndLeavesTheDeployedRevisionLive()
    {
        var first = await ApproveAsync(await SubmitAsync("orders-dev"), Bob);
        await DeployAsync(first.Id);

        var second = await UpdateAsync("2.0.0");

        Assert.Equal(RevisionKind.Update, second.Kind);
        var environment = (await Queries.GetAsync("orders-dev", None)).Environment;
        Assert.Equal((EnvironmentStatus.Deployed, 1, 2), (environment.Status, environment.DeployedRevisionNumber, environment.CurrentRevisionNumber));
        Assert.Equal(RevisionStatus.Deployed, (await ReadAsync(first.Id)).Status);
    }

    [Fact]
    public async Task ADestroyIsApprovedAndDeployedLikeAnyChange()
    {
        await DeployAsync((await ApproveAsync(await SubmitAsync("orders-dev"), Bob)).Id);

        var destroy = await Environments.DestroyAsync(new RequestDestroy("orders-dev"), Alice, None);
        Assert.Equal((RevisionKind.Destroy, RevisionStatus.AwaitingApproval), (destroy.Kind, destroy.Status));
        Assert.Equal("orders-dev", destroy.Spec.Name);
        destroy = await ApproveAsync(destroy, Carol);
        Assert.Equal([destroy.Id], Deploys.Queued.Skip(1));
        await AsJobAsync(destroy.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));
        Assert.Equal(EnvironmentStatus.Destroying, (await Queries.GetAsync("orders-dev", None)).Environment.Status);
        await AsJobAsync(destroy.Id, r => r.TransitionTo(RevisionStatus.Deployed, Person.Portal));

        var environment = (await Queries.GetAsync("orders-dev", None)).Environment;
        Assert.Equal((EnvironmentStatus.Destroyed, (int?)null), (environment.Status, environment.DeployedRevisionNumber));
        var again = await Assert.ThrowsAsync<WorkflowException>(
            () => Environments.DestroyAsync(new RequestDestroy("orders-dev"), Alice, None));
        Assert.Equal(WorkflowErrorCode.Conflict, again.Code);
        Assert.Equal(RevisionKind.Create, (await UpdateAsync("3.0.0")).Kind);
    }

    [Fact]
    public async Task TheOwnerOrAnAdminCancelsAnOpenRevision()
    {
        var first = await SubmitAsync("orders-dev");

        var stranger = await Assert.ThrowsAsync<WorkflowException>(
            () => Revisions.CancelAsync(new CancelRevision(first.Id), Erin, None));
        var cancelled = await Revisions.CancelAsync(new CancelRevision(first.Id, "wrong size"), Alice, None);

        Assert.Equal(WorkflowErrorCode.Forbidden, stranger.Code);
        Assert.Equal((RevisionStatus.Cancelled, "cancelled by alice: wrong size"), (cancelled.Status, cancelled.StatusReason));
        var second = await UpdateAsync("2.0.0");
        Assert.Equal(RevisionStatus.Cancelled, (await Revisions.CancelAsync(new CancelRevision(second.Id), Dana, None)).Status);
    }

    [Fact]
    public async Task ADeployingRevisionCannotBeCancelledHere()
    {
        var first = await ApproveAsync(await SubmitAsync("orders-dev"), Bob);
        await AsJobAsync(first.Id, r => r.TransitionTo(RevisionStatus.Deploying, Person.Portal));

        var refused = await Assert.ThrowsAsync<IllegalTransitionException>(
            () => Revisions.CancelAsync(new CancelRevision(first.Id), Alice, None));

        Assert.Equal(RevisionStatus.Deploying, (await ReadAsync(first.Id)).Status);
        Assert.Contains("from Deploying to Cancelled", refused.Message);
    }

    [Fact]
    public async Task EngineersChangeOnlyTheirOwnEnvironments()
    {
        await SubmitAsync("orders-dev");

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => UpdateAsync("2.0.0", by: Erin));

        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
        Assert.Contains("belongs to alice", refused.Message);
        Assert.Equal(2, (await UpdateAsync("2.0.0", by: Dana)).Number);
    }

    [Fact]
    public async Task AnUpdateKeepsTheEnvironmentsNameAndTarget()
    {
        await SubmitAsync("orders-dev");
        var spec = Spec("orders-other", target: "prod");

        var refused = await Assert.ThrowsAsync<WorkflowException>(
            () => Environments.UpdateAsync(new SubmitUpdate("orders-dev", spec), Alice, None));

        Assert.Equal(WorkflowErrorCode.Invalid, refused.Code);
        Assert.Equal(["name", "target"], refused.Errors.Select(e => e.Field));
    }
}
