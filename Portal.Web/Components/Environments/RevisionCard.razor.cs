using Microsoft.AspNetCore.Components;
using Portal.Infra.Environments;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
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
    private string? _refusal;

    /// <summary>The revision's environment (whose owner or an admin may withdraw the revision while it is open).</summary>
    [Parameter, EditorRequired] public EnvironmentSummary Environment { get; set; } = default!;

    /// <summary>The revision to show.</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The signed-in user.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>The spec deployed now, which a revision awaiting approval is compared with; null before the first deploy.</summary>
    [Parameter] public EnvironmentSpec? DeployedSpec { get; set; }


    /// <summary>Raised after the revision changed here (a decision or a withdrawal), so the page reloads.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private DeploymentCommands Commands { get; set; } = default!;

    private async Task CancelAsync()
    {
        try
        {
            await Commands.CancelAsync(new CancelRevision(Revision.Id), Actor, CancellationToken.None);
            await Changed.InvokeAsync();
        }
        catch (WorkflowException e)
        {
            _refusal = e.Message;
        }
    }
}
