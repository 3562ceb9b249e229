using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Approvals;

public enum ApprovalDecision
{
    Approved,
    Rejected,
}

/// <summary>One approver's decision on one revision, bound to the change set the revision had at that moment.</summary>
public sealed class Approval
{
    private Approval()
    {
    }

    internal Approval(Revision revision, Person approver, ApprovalDecision decision, string? comment, string? changeSetId)
    {
        Revision = revision;
        Approver = approver;
        Decision = decision;
        Comment = comment;
        ChangeSetId = changeSetId;
        At = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }

    public int RevisionId { get; private set; }

    public Revision Revision { get; private set; } = null!;

    public Person Approver { get; private set; } = null!;

    public ApprovalDecision Decision { get; private set; }

    public string? Comment { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The change set approved; an approval counts only while the revision still has this change set.</summary>
    public string? ChangeSetId { get; private set; }
}
