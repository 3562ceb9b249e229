using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Approvals;

/// <summary>
/// Who may decide on a revision, and which approvals count: distinct approvers (approver or admin role), none of whom
/// requested or edited the revision, each approving the revision's current change set. People are compared by
/// <see cref="PersonId"/> only, never by the name they show.
/// </summary>
public static class ApprovalPolicy
{
    /// <summary>The approvals that count toward <see cref="Revision.RequiredApprovals"/>.</summary>
    public static int CountApprovals(Revision revision) =>
        CountApprovals(revision.Approvals.Select(a => new ApprovalView(a.Approver.Name, a.Approver.Id, a.Decision, a.Comment, a.At, a.ChangeSetId)),
            revision.ChangeSetId);

    /// <summary>The same count from a revision's approvals as views read them, and its current change set.</summary>
    public static int CountApprovals(IEnumerable<ApprovalView> approvals, string? changeSetId) => approvals
        .Where(a => a.Decision == ApprovalDecision.Approved && a.ChangeSetId == changeSetId)
        .Select(a => a.ApproverId)
        .Distinct()
        .Count();

    /// <summary>Whether the revision belongs in <paramref name="actor"/>'s approval queue.</summary>
    public static bool MayDecide(Revision revision, Actor actor) => Refusal(revision, actor) is null;

    /// <summary>Throws the reason <paramref name="actor"/> may not decide on the revision now, if there is one.</summary>
    public static void EnsureMayDecide(Revision revision, Actor actor)
    {
        if (Refusal(revision, actor) is { } refusal)
        {
            throw refusal;
        }
    }

    private static WorkflowException? Refusal(Revision revision, Actor actor)
    {
        if (!actor.MayDecide)
        {
            return WorkflowException.Forbidden($"{actor.DisplayName} is not an approver; only approvers and admins decide on revisions");
        }

        if (actor.Is(revision.RequestedBy.Id))
        {
            return WorkflowException.Forbidden($"{actor.DisplayName} requested revision {revision.Number} and may not approve or reject it");
        }

        if (revision.EditedBy.Any(editor => actor.Is(editor.Id)))
        {
            return WorkflowException.Forbidden($"{actor.DisplayName} edited revision {revision.Number} and may not approve or reject it");
        }

        if (revision.Status != RevisionStatus.AwaitingApproval)
        {
            return WorkflowException.Conflict($"revision {revision.Number} is {revision.Status}, not awaiting approval");
        }

        if (revision.Approvals.Any(a => actor.Is(a.Approver.Id) && a.ChangeSetId == revision.ChangeSetId))
        {
            return WorkflowException.Conflict($"{actor.DisplayName} has already decided on revision {revision.Number}");
        }

        return null;
    }
}
