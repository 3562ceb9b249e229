using Portal.Jobs.Approvals;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;

namespace Portal.Tests.Workflow;

[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class AuditTrailTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task EveryStateChangeIsAuditedWithWhoAndWhy()
    {
        var first = await SubmitAsync("orders-prod", target: "prod");
        await Environments.UpdateAsync(new SubmitUpdate("orders-prod", Spec("orders-prod", "prod", tag: "2.0.0")), Alice, None);
        var second = (await Queries.GetAsync("orders-prod", None)).Revisions[0];
        await ApproveAsync(second, Bob);
        await ApproveAsync(second, Carol);
        await DeployAsync(second.Id);

        var trail = (await Queries.GetAsync("orders-prod", None)).Audit
            .Select(a => (a.Who, a.What, a.RevisionNumber, a.Details));

        const string plan = "plan placeholder: no change set yet";
        Assert.Equal(
        [
            ("alice", "Requested environment", null, "target prod, stack portal-orders-prod"),
            ("alice", "Submitted Create revision", 1, null),
            ("portal", "Revision Submitted → Planning", 1, plan),
            ("portal", "Revision Planning → AwaitingApproval", 1, plan),
            ("alice", "Revision AwaitingApproval → Superseded", 1, "superseded by revision 2"),
            ("alice", "Submitted Create revision", 2, "supersedes revision 1"),
            ("portal", "Revision Submitted → Planning", 2, plan),
            ("portal", "Revision Planning → AwaitingApproval", 2, plan),
            ("bob", "Approved", 2, null),
            ("carol", "Approved", 2, null),
            ("carol", "Revision AwaitingApproval → Approved", 2, "2 of 2 required approvals"),
            ("portal", "Revision Approved → Deploying", 2, null),
            ("portal", "Environment Requested → Deploying", 2, null),
            ("portal", "Revision Deploying → Deployed", 2, null),
            ("portal", "Environment Deploying → Deployed", 2, null),
        ],
        trail);
        Assert.Equal(RevisionStatus.Superseded, (await ReadAsync(first.Id)).Status);
    }

    [Fact]
    public async Task ARejectionAndACancellationAreAudited()
    {
        var first = await SubmitAsync("orders-dev");
        await Approvals.RejectAsync(new RejectRevision(first.Id, "use a digest"), Bob, None);
        var second = await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Alice, None);
        await Revisions.CancelAsync(new CancelRevision(second.Id), Alice, None);

        var trail = (await Queries.GetAsync("orders-dev", None)).Audit
            .Where(a => a.Who != "portal")
            .Select(a => (a.Who, a.What, a.RevisionNumber, a.Details));

        Assert.Equal(
        [
            ("alice", "Requested environment", null, "target sandbox, stack portal-orders-dev"),
            ("alice", "Submitted Create revision", 1, null),
            ("bob", "Rejected", 1, "use a digest"),
            ("bob", "Revision AwaitingApproval → Rejected", 1, "use a digest"),
            ("alice", "Submitted Create revision", (int?)2, (string?)null),
            ("alice", "Revision AwaitingApproval → Cancelled", 2, "cancelled by alice"),
        ],
        trail);
    }
}
