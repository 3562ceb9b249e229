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
    private IReadOnlyList<ApprovalRequest>? _queue;
    private Actor? _actor;
    private string _search = "";

    [Inject] private ApprovalQueue Queue { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The queue narrowed to the search text (environment, requester or target).</summary>
    private IReadOnlyList<ApprovalRequest> Shown => string.IsNullOrWhiteSpace(_search)
        ? _queue!
        : [.. _queue!.Where(r => new[] { r.Revision.EnvironmentName, r.Revision.RequestedBy, r.Target }
            .Any(text => text.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)))];

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _actor = await GetActorAsync();
        _queue = await Queue.ListAsync(_actor, CancellationToken.None);
    }

    private async Task DecidedAsync(RevisionView revision)
    {
        Snackbar.Add(
            $"Revision {revision.Number} of {revision.EnvironmentName} is {Words.Of(revision.Status).ToLowerInvariant()}.",
            revision.Status == RevisionStatus.Rejected ? Severity.Warning : Severity.Success);
        await LoadAsync();
    }
}
