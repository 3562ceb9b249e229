using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Environments;

/// <summary>
/// One environment: status, facts and outputs, the deployment slot, every revision with its approvals (and the
/// decision panel for the one awaiting approval), and the audit trail. The owner or an admin may change or destroy it.
/// </summary>
public partial class EnvironmentPage
{
    private EnvironmentDetail? detail;
    private Actor? actor;
    private bool mayChange;
    private string? notFound;
    private string? refusal;
    private bool confirmingDestroy;
    private string? destroyConfirmation;

    /// <summary>The environment's name (from the route).</summary>
    [Parameter] public string Name { get; set; } = "";

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private EnvironmentCommands Commands { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            actor = await GetActorAsync();
            detail = await Queries.GetAsync(Name, CancellationToken.None);
            // Environment.EnsureMayBeChangedBy's rule; the commands enforce it.
            mayChange = actor.IsAdmin || (actor.MayRequest && actor.Is(detail.Environment.Owner));
            notFound = null;
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            notFound = e.Message;
        }
    }

    private async Task DestroyAsync()
    {
        try
        {
            var revision = await Commands.DestroyAsync(new RequestDestroy(Name), actor!, CancellationToken.None);
            Snackbar.Add($"Destroy requested as revision {revision.Number}; it needs approval like any change.", Severity.Info);
            confirmingDestroy = false;
            destroyConfirmation = null;
        }
        catch (WorkflowException e)
        {
            refusal = e.Message;
        }

        await LoadAsync();
    }
}
