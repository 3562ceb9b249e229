using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Drift;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Drift;

/// <summary>
/// The environment page's drift section: reads the latest check whenever the page refreshes it (the page re-reads on
/// every job notification and every few seconds, so a running check's result appears by itself) and starts a check.
/// </summary>
public partial class DriftPanel
{
    private DriftCheckView? _latest;

    [Parameter, EditorRequired] public EnvironmentSummary Environment { get; set; } = default!;

    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    [Inject] private DriftQueries Queries { get; set; } = default!;
    [Inject] private DriftCommands Commands { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool MayCheck => DriftRules.MayCheck(Actor);

    /// <summary>The command's own rule, said as a sentence.</summary>
    private string? Unavailable => DriftRules.Unavailable(Environment) is { } why ? $"{char.ToUpperInvariant(why[0])}{why[1..]}." : null;

    protected override async Task OnParametersSetAsync() =>
        _latest = await Queries.LatestAsync(Environment.Name, CancellationToken.None);

    private async Task CheckAsync()
    {
        try
        {
            _latest = await Commands.StartAsync(Environment.Name, Actor, CancellationToken.None);
        }
        catch (WorkflowException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }
}
