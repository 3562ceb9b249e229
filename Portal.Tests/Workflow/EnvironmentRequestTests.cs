using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Workflow;

[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class EnvironmentRequestTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ARequestIsSavedAsRevisionOneAndPlanned()
    {
        var revision = await SubmitAsync("orders-dev");

        Assert.Equal(("orders-dev", 1, RevisionKind.Create), (revision.EnvironmentName, revision.Number, revision.Kind));
        Assert.Equal(RevisionStatus.AwaitingApproval, revision.Status);
        Assert.Equal("plan placeholder: no change set yet", revision.StatusReason);
        Assert.Equal(Spec("orders-dev").Frontend.Image, revision.Spec.Frontend.Image);
        var listed = Assert.Single(await Queries.ListAsync(None));
        Assert.Equal(
            ("orders-dev", "sandbox", "portal-orders-dev", EnvironmentStatus.Requested, "alice", 1, RevisionStatus.AwaitingApproval),
            (listed.Name, listed.Target, listed.StackName, listed.Status, listed.Owner, listed.CurrentRevisionNumber, listed.CurrentRevisionStatus));
    }

    [Fact]
    public async Task ATakenNameIsRefusedNamingTheNameField()
    {
        await SubmitAsync("orders-dev");

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => SubmitAsync("orders-dev", by: Erin));

        Assert.Equal((WorkflowErrorCode.Conflict, "name"), (refused.Code, refused.Field));
        Assert.Contains("'orders-dev' already exists", refused.Message);
        Assert.Single(await Queries.ListAsync(None));
    }

    [Fact]
    public async Task AnUnknownTargetIsRefusedNamingTheTargetField()
    {
        var refused = await Assert.ThrowsAsync<WorkflowException>(() => SubmitAsync("orders-dev", target: "staging"));

        Assert.Equal((WorkflowErrorCode.Invalid, "target"), (refused.Code, refused.Field));
        Assert.Contains("choose one of: prod, sandbox", refused.Message);
        Assert.Empty(await Queries.ListAsync(None));
    }

    [Fact]
    public async Task ApproversWithoutTheEngineerRoleDoNotRequest()
    {
        var refused = await Assert.ThrowsAsync<WorkflowException>(() => SubmitAsync("orders-dev", by: Bob));

        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
    }

    [Fact]
    public async Task UnknownEnvironmentsAndRevisionsAreNotFound()
    {
        await SubmitAsync("orders-dev");

        var environment = await Assert.ThrowsAsync<WorkflowException>(() => Queries.GetAsync("nope", None));
        var revision = await Assert.ThrowsAsync<WorkflowException>(() => Queries.GetRevisionAsync("orders-dev", 7, None));
        var update = await Assert.ThrowsAsync<WorkflowException>(
            () => Environments.UpdateAsync(new SubmitUpdate("nope", Spec("nope")), Alice, None));

        Assert.All(new[] { environment, revision, update }, e => Assert.Equal(WorkflowErrorCode.NotFound, e.Code));
    }
}
