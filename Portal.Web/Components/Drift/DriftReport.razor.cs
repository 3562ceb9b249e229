using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Drift;

namespace Portal.Web.Components.Drift;

/// <summary>
/// An environment's latest drift check as people read it: in sync, N resources drifted (with a table of each property
/// difference: path, expected, actual, type), failed or skipped with the reason, and when; and the Check drift button.
/// </summary>
public partial class DriftReport
{
    /// <summary>The latest check; null when none ran yet.</summary>
    [Parameter] public DriftCheckView? Latest { get; set; }

    /// <summary>Whether the user may start a check (every role may; see DriftCommands).</summary>
    [Parameter] public bool MayCheck { get; set; }

    /// <summary>Why a check cannot start now (a deploy runs, nothing deployed), shown on the disabled button; null when it can.</summary>
    [Parameter] public string? Unavailable { get; set; }

    /// <summary>The button was pressed.</summary>
    [Parameter] public EventCallback OnCheck { get; set; }

    private bool Starting { get; set; }

    private bool Running => Latest?.IsRunning == true;

    private Severity Severity => Latest?.Status switch
    {
        DriftCheckStatus.InSync => Severity.Success,
        DriftCheckStatus.Drifted => Severity.Warning,
        DriftCheckStatus.Failed => Severity.Error,
        _ => Severity.Info,
    };

    private string Summary => Latest switch
    {
        null => "",
        { Status: DriftCheckStatus.Running } => "Checking drift…",
        { Status: DriftCheckStatus.InSync } => "In sync: every resource matches the template.",
        { Status: DriftCheckStatus.Drifted, DriftedCount: var n } => n == 1 ? "1 resource drifted." : $"{n ?? Latest.Resources.Count} resources drifted.",
        { Status: DriftCheckStatus.Failed, Reason: var reason } => $"Drift check failed: {reason}",
        { Status: DriftCheckStatus.Skipped, Reason: var reason } => $"Drift check skipped: {reason}",
        _ => Latest.Status.ToString(),
    };

    private async Task Check()
    {
        Starting = true;
        try
        {
            await OnCheck.InvokeAsync();
        }
        finally
        {
            Starting = false;
        }
    }
}
