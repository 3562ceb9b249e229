using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Approvals;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Approvals;

/// <summary>The signed-in approver's queue (<see cref="ApprovalQueue"/>): each revision with its spec diff and a decision panel.</summary>
public partial class ApprovalsPage
{
    private IReadOnlyList<ApprovalRequest>? queue;
    private Actor? actor;

    [Inject] private ApprovalQueue Queue { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        actor = await GetActorAsync();
        queue = await Queue.ListAsync(actor, CancellationToken.None);
    }

    private async Task DecidedAsync(RevisionView revision)
    {
        Snackbar.Add(
            $"Revision {revision.Number} of {revision.EnvironmentName} is {Words.Of(revision.Status).ToLowerInvariant()}.",
            revision.Status == RevisionStatus.Rejected ? Severity.Warning : Severity.Success);
        await LoadAsync();
    }
}
