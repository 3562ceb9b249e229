using Portal.Infra.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Workflow;

[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ApprovalPolicyTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task NobodyApprovesARevisionTheyRequested()
    {
        var revision = await SubmitAsync("orders-dev", by: Dana);

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(revision, Dana));

        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
        Assert.Contains("dana requested revision 1", refused.Message);
        Assert.Equal(RevisionStatus.AwaitingApproval, (await ReadAsync(revision.Id)).Status);
    }

    [Fact]
    public async Task NobodyApprovesARevisionTheyEdited()
    {
        await SubmitAsync("orders-dev", by: Erin);
        var edit = await Environments.UpdateAsync(
            new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Dana, None);

        Assert.Equal(["erin"], edit.EditedBy);
        var refused = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(edit, Erin));
        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
        Assert.Contains("erin edited revision 2", refused.Message);
        Assert.Equal(RevisionStatus.Approved, (await ApproveAsync(edit, Bob)).Status);
    }

    [Theory]
    [InlineData("withdrawn")]
    [InlineData("rejected")]
    public async Task WhoseProposalTheOwnerCarriesOnMayNotApproveIt(string ending)
    {
        await DeployedAsync("orders-dev");
        var proposal = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Dana, None);
        await (ending == "withdrawn"
            ? Revisions.CancelAsync(new CancelRevision(proposal.Id), Dana, None)
            : Approvals.RejectAsync(new RejectRevision(proposal.Id, "not this week"), Carol, None));

        // The edit form starts from the newest revision, Dana's: alice changes one more field and submits.
        var edit = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", WithBackendTasks(Spec("orders-dev", tag: "2.0.0"), 3)), Alice, None);

        Assert.Equal(["dana"], edit.EditedBy);
        var refused = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(edit, Dana));
        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
        Assert.Contains("dana edited revision 3", refused.Message);
    }

    [Fact]
    public async Task AValueProposedBeforeOtherRevisionsStillMarksItsAuthor()
    {
        await DeployedAsync("orders-dev");
        var proposal = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Dana, None);
        await Revisions.CancelAsync(new CancelRevision(proposal.Id), Dana, None);
        var own = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", WithBackendTasks(Spec("orders-dev"), 3)), Alice, None);
        await Revisions.CancelAsync(new CancelRevision(own.Id), Alice, None);

        var edit = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", WithBackendTasks(Spec("orders-dev", tag: "2.0.0"), 4)), Alice, None);

        Assert.Equal(["dana"], edit.EditedBy);
    }

    [Fact]
    public async Task AProposalTheNewRevisionDoesNotCarryLeavesItsAuthorFreeToDecide()
    {
        await DeployedAsync("orders-dev");
        var proposal = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Dana, None);
        await Revisions.CancelAsync(new CancelRevision(proposal.Id), Dana, None);

        // alice puts the deployed tag back and changes only what she wants.
        var edit = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", WithBackendTasks(Spec("orders-dev"), 3)), Alice, None);

        Assert.Empty(edit.EditedBy);
        Assert.Equal(RevisionStatus.Approved, (await ApproveAsync(edit, Dana)).Status);
    }

    [Fact]
    public async Task OnlyApproversAndAdminsDecide()
    {
        var revision = await SubmitAsync("orders-dev", by: Erin);

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(revision, Alice));

        Assert.Equal(WorkflowErrorCode.Forbidden, refused.Code);
        Assert.Equal(RevisionStatus.Approved, (await ApproveAsync(revision, Dana)).Status);
    }

    [Theory]
    [InlineData("sandbox", 1)]
    [InlineData("prod", 2)]
    public async Task ARevisionNeedsItsTargetsNumberOfApprovals(string target, int required)
    {
        var revision = await SubmitAsync("orders-dev", target: target);
        Assert.Equal(required, revision.RequiredApprovals);

        var approvers = new[] { Bob, Carol };
        for (var i = 0; i < required - 1; i++)
        {
            revision = await ApproveAsync(revision, approvers[i]);
            Assert.Equal(RevisionStatus.AwaitingApproval, revision.Status);
            Assert.Empty(Deploys.Queued);
        }

        revision = await ApproveAsync(revision, approvers[required - 1]);

        Assert.Equal(RevisionStatus.Approved, revision.Status);
        Assert.Equal(required, revision.ApprovalsCounted);
        Assert.Equal([revision.Id], Deploys.Queued);
    }

    [Fact]
    public async Task TheSameApproverTwiceCountsOnce()
    {
        var revision = await SubmitAsync("orders-prod", target: "prod");
        await ApproveAsync(revision, Bob);

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(revision, Bob));

        Assert.Equal(WorkflowErrorCode.Conflict, refused.Code);
        var now = await ReadAsync(revision.Id);
        Assert.Equal(RevisionStatus.AwaitingApproval, now.Status);
        Assert.Equal(1, now.ApprovalsCounted);
        Assert.Empty(Deploys.Queued);
    }

    [Fact]
    public async Task ARejectionEndsTheRevisionWithItsReason()
    {
        var revision = await SubmitAsync("orders-prod", target: "prod");
        await ApproveAsync(revision, Bob);

        var rejected = await Approvals.RejectAsync(new RejectRevision(revision.Id, "  too many tasks "), Carol, None);

        Assert.Equal(RevisionStatus.Rejected, rejected.Status);
        Assert.Equal("too many tasks", rejected.StatusReason);
        Assert.NotNull(rejected.FinishedAt);
        var late = await Assert.ThrowsAsync<WorkflowException>(() => ApproveAsync(revision, Dana));
        Assert.Equal(WorkflowErrorCode.Conflict, late.Code);
        Assert.Empty(Deploys.Queued);
    }

    [Fact]
    public async Task ARejectionWithoutAReasonIsRefusedNamingTheComment()
    {
        var revision = await SubmitAsync("orders-dev");

        var refused = await Assert.ThrowsAsync<WorkflowException>(
            () => Approvals.RejectAsync(new RejectRevision(revision.Id, " "), Bob, None));

        Assert.Equal(WorkflowErrorCode.Invalid, refused.Code);
        Assert.Equal("comment", refused.Field);
        Assert.Equal(RevisionStatus.AwaitingApproval, (await ReadAsync(revision.Id)).Status);
    }

    [Fact]
    public async Task ApprovalsForAnEarlierChangeSetDoNotCount()
    {
        var revision = await SubmitAsync("orders-prod", target: "prod");
        revision = await ReplanAsync(revision.Id, "A");
        await ApproveAsync(revision, Bob);

        revision = await ReplanAsync(revision.Id, "B");
        Assert.Equal(0, revision.ApprovalsCounted);
        revision = await ApproveAsync(revision, Carol);
        Assert.Equal(RevisionStatus.AwaitingApproval, revision.Status);
        revision = await ApproveAsync(revision, Bob);

        Assert.Equal(RevisionStatus.Approved, revision.Status);
        Assert.Equal(
            [("bob", "A"), ("carol", "B"), ("bob", "B")],
            revision.Approvals.Select(a => (a.Approver, a.ChangeSetId!)));
    }

    /// <summary>alice's environment, approved by bob and deployed (revision 1).</summary>
    private async Task DeployedAsync(string name)
    {
        var create = await SubmitAsync(name);
        await ApproveAsync(create, Bob);
        await DeployAsync(create.Id);
    }

    private static EnvironmentSpec WithBackendTasks(EnvironmentSpec spec, int desiredCount) =>
        spec with { Backend = spec.Backend with { DesiredCount = desiredCount } };

    [Fact]
    public async Task TheApprovalQueueHoldsWhatTheApproverMayDecide()
    {
        var alices = await SubmitAsync("orders-prod", target: "prod");
        var erins = await SubmitAsync("billing-dev", by: Erin);
        await ApproveAsync(alices, Bob);

        async Task<string[]> QueueOf(Actor approver) =>
            [.. (await Queue.ListAsync(approver, None)).Select(r => r.Revision.EnvironmentName)];

        Assert.Equal(["billing-dev"], await QueueOf(Bob));
        Assert.Equal(["orders-prod", "billing-dev"], await QueueOf(Carol));
        Assert.Equal(["orders-prod"], await QueueOf(Erin));
        Assert.Empty(await QueueOf(Alice));
        var request = (await Queue.ListAsync(Carol, None))[0];
        Assert.Equal(("prod", "alice", null), (request.Target, request.Owner, request.DeployedSpec));
        Assert.Equal(erins.Id, (await Queue.ListAsync(Bob, None))[0].Revision.Id);
    }
}
