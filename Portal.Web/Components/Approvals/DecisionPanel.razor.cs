using Microsoft.AspNetCore.Components;
using Portal.Jobs.Approvals;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Approvals;

/// <summary>
/// Approve or reject one revision with a comment. Someone who may not decide (the requester, an editor, a non-approver,
/// who already decided) sees why instead of the buttons; the command enforces the same rules regardless.
/// </summary>
public partial class DecisionPanel
{
    private string? _whyNot;
    private string? _comment;
    private string? _commentError;
    private string? _refusal;
    private bool _busy;

    /// <summary>A revision awaiting approval.</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The signed-in user.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Raised with the revision as saved after a decision.</summary>
    [Parameter] public EventCallback<RevisionView> Decided { get; set; }

    [Inject] private ApprovalCommands Approvals { get; set; } = default!;

    protected override void OnParametersSet() => _whyNot = WhyNot(Revision, Actor);

    /// <summary>Why <paramref name="actor"/> may not decide on <paramref name="revision"/> (ApprovalPolicy's rules, in the reader's words).</summary>
    public static string? WhyNot(RevisionView revision, Actor actor) =>
        actor.Is(revision.RequestedById) ? "You requested this revision, so you cannot approve or reject it; an approver decides."
        : revision.EditedByIds.Any(actor.Is) ? "This revision carries changes you made, so you cannot approve or reject it; another approver decides."
        : !actor.MayDecide ? "Only approvers and admins approve or reject revisions."
        : revision.Approvals.Any(a => actor.Is(a.ApproverId) && a.ChangeSetId == revision.ChangeSetId) ? "You have already decided on this revision."
        : null;

    private Task ApproveAsync()
    {
        var command = new ApproveRevision(Revision.Id, _comment);
        return DecideAsync(DecisionValidator.Validate(command), () => Approvals.ApproveAsync(command, Actor, CancellationToken.None));
    }

    private Task RejectAsync()
    {
        var command = new RejectRevision(Revision.Id, _comment ?? "");
        return DecideAsync(DecisionValidator.Validate(command), () => Approvals.RejectAsync(command, Actor, CancellationToken.None));
    }

    private async Task DecideAsync(IReadOnlyList<FieldError> problems, Func<Task<RevisionView>> decide)
    {
        _commentError = _refusal = null;
        if (problems is [var problem, ..])
        {
            _commentError = problem.Message;
            return;
        }

        _busy = true;
        try
        {
            await Decided.InvokeAsync(await decide());
        }
        catch (WorkflowException e) when (e.Field == "comment")
        {
            _commentError = e.Errors[0].Message;
        }
        catch (WorkflowException e)
        {
            _refusal = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
