using Portal.Jobs.Approvals;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using static Portal.Jobs.Revisions.RevisionStatus;
using Portal.Jobs.Environments;

namespace Portal.Tests.Workflow;

/// <summary>The transition table, in memory: every move it does not list is refused and changes nothing.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RevisionTransitionTests
{
    // The documented workflow; the table in RevisionTransitions must match it exactly.
    private static readonly HashSet<(RevisionStatus, RevisionStatus)> Legal =
    [
        (Submitted, Planning), (Submitted, Superseded), (Submitted, Cancelled),
        (Planning, AwaitingApproval), (Planning, PlanFailed), (Planning, Superseded), (Planning, Cancelled),
        (PlanFailed, Superseded), (PlanFailed, Cancelled),
        (AwaitingApproval, Approved), (AwaitingApproval, Rejected), (AwaitingApproval, Planning),
        (AwaitingApproval, Superseded), (AwaitingApproval, Cancelled),
        (Approved, Deploying), (Approved, Planning), (Approved, Superseded), (Approved, Cancelled),
        (Deploying, Deployed), (Deploying, Failed),
    ];

    public static TheoryData<RevisionStatus, RevisionStatus> IllegalMoves()
    {
        var data = new TheoryData<RevisionStatus, RevisionStatus>();
        foreach (var from in Enum.GetValues<RevisionStatus>())
        {
            foreach (var to in Enum.GetValues<RevisionStatus>().Where(to => !Legal.Contains((from, to))))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Fact]
    public void TheTableAllowsExactlyTheDocumentedMoves()
    {
        var table = Enum.GetValues<RevisionStatus>()
            .SelectMany(from => RevisionTransitions.From(from).Select(to => (from, to)))
            .ToHashSet();

        Assert.Equal(Legal.OrderBy(m => m).ToList(), table.OrderBy(m => m).ToList());
    }

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void AnIllegalMoveThrowsAndChangesNothing(RevisionStatus from, RevisionStatus to)
    {
        var revision = RevisionIn(from);
        var version = revision.Version;

        var refused = Assert.Throws<IllegalTransitionException>(() => revision.TransitionTo(to, WorkflowTest.Dana.Person, "because"));

        Assert.Equal(WorkflowErrorCode.Conflict, refused.Code);
        Assert.Contains($"from {from} to {to}", refused.Message);
        Assert.Equal(from, revision.Status);
        Assert.Equal(version, revision.Version);
    }

    [Fact]
    public void ApprovedNeedsTheRequiredApprovals()
    {
        var revision = RevisionIn(AwaitingApproval);

        var refused = Assert.Throws<IllegalTransitionException>(() => revision.TransitionTo(Approved, WorkflowTest.Dana.Person));

        Assert.Contains("0 of 1 required approvals", refused.Message);
        Assert.Equal(AwaitingApproval, revision.Status);
    }

    [Fact]
    public void RejectedNeedsSomeoneToReject()
    {
        var revision = RevisionIn(AwaitingApproval);

        Assert.Throws<IllegalTransitionException>(() => revision.TransitionTo(Rejected, WorkflowTest.Dana.Person, "no"));
        Assert.Equal(AwaitingApproval, revision.Status);
    }

    [Fact]
    public void EndingsThatMustSayWhyRefuseAMissingReason()
    {
        var revision = RevisionIn(Submitted);

        Assert.Throws<ArgumentException>(() => revision.TransitionTo(Cancelled, WorkflowTest.Alice.Person, " "));
        Assert.Equal(Submitted, revision.Status);
    }

    [Theory]
    [InlineData(Deployed)]
    [InlineData(Failed)]
    public void ARetryingNoticeLastsFromTheFirstFailureUntilCloudFormationAnswersOrTheDeployEnds(RevisionStatus end)
    {
        var revision = RevisionIn(Deploying);

        revision.ReportRetrying("Rate exceeded");
        var since = revision.RetryingSince;
        revision.ReportRetrying("The request timed out");
        Assert.NotNull(since);
        Assert.Equal((since, "The request timed out"), (revision.RetryingSince, revision.RetryingReason));
        revision.ReportRetrying(null);
        Assert.Equal((null, null), (revision.RetryingSince, revision.RetryingReason));

        revision.ReportRetrying("Rate exceeded");
        revision.TransitionTo(end, Person.Portal, "the stack settled");
        Assert.Equal((null, null), (revision.RetryingSince, revision.RetryingReason));
        Assert.Throws<WorkflowException>(() => revision.ReportRetrying("Rate exceeded"));
    }

    /// <summary>A revision brought to <paramref name="status"/> by legal moves only.</summary>
    private static Revision RevisionIn(RevisionStatus status)
    {
        var environment = ManagedEnvironment.Request(WorkflowTest.Spec("orders-dev"), WorkflowTest.Alice.Person, requiredApprovals: 1);
        var revision = environment.Revisions.Single();
        void Move(params RevisionStatus[] path)
        {
            foreach (var to in path)
            {
                revision.TransitionTo(to, Person.Portal, "test");
            }
        }

        switch (status)
        {
            case Submitted:
                break;
            case Superseded:
                environment.RequestChange(WorkflowTest.Spec("orders-dev", tag: "2.0.0"), WorkflowTest.Alice.Person, 1, ContentHistory.None);
                break;
            case Approved or Rejected or Deploying or Deployed or Failed:
                Move(Planning, AwaitingApproval);
                revision.Decide(WorkflowTest.Bob, status == Rejected ? ApprovalDecision.Rejected : ApprovalDecision.Approved, "ok", 1);
                if (status is Deploying or Deployed or Failed)
                {
                    Move(Deploying);
                }

                if (status is Deployed or Failed)
                {
                    Move(status);
                }

                break;
            case PlanFailed or AwaitingApproval:
                Move(Planning, status);
                break;
            default:
                Move(status);
                break;
        }

        Assert.Equal(status, revision.Status);
        return revision;
    }
}
