using Microsoft.AspNetCore.Components;
using Portal.Infra.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Environments;

/// <summary>
/// One revision: kind, status and why, who requested and approved it, its plan and spec, and while it awaits approval
/// the review (changes, guardrail, spec diff) beside the decision panel; once its deploy started, a link to it
/// (<see cref="RevisionDeployPage"/>: its map and events, also after a later deploy replaced it).
/// </summary>
public partial class RevisionCard
{
    private string? refusal;

    /// <summary>The revision to show.</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The signed-in user.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>The spec deployed now, which a revision awaiting approval is compared with; null before the first deploy.</summary>
    [Parameter] public EnvironmentSpec? DeployedSpec { get; set; }

    /// <summary>Whether the user may withdraw the revision (the environment's owner or an admin) while it is open.</summary>
    [Parameter] public bool MayCancel { get; set; }

    /// <summary>Raised after the revision changed here (a decision or a withdrawal), so the page reloads.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private RevisionCommands Revisions { get; set; } = default!;

    private async Task CancelAsync()
    {
        try
        {
            await Revisions.CancelAsync(new CancelRevision(Revision.Id), Actor, CancellationToken.None);
            await Changed.InvokeAsync();
        }
        catch (WorkflowException e)
        {
            refusal = e.Message;
        }
    }
}
