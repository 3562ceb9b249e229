using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;

namespace Portal.Web.Components.Shared;

/// <summary>A coloured chip for an environment's or a revision's status: green done, red failed, amber waiting on people.</summary>
public partial class StatusChip
{
    /// <summary>An <see cref="EnvironmentStatus"/> or a <see cref="RevisionStatus"/>.</summary>
    [Parameter, EditorRequired] public Enum Status { get; set; } = default!;

    private string Text => Words.Of(Status);

    private Color Color => Status switch
    {
        RevisionStatus.AwaitingApproval => Color.Warning,
        RevisionStatus.Approved => Color.Primary,
        RevisionStatus.Submitted or RevisionStatus.Planning or RevisionStatus.Deploying => Color.Info,
        RevisionStatus.Deployed => Color.Success,
        RevisionStatus.PlanFailed or RevisionStatus.Rejected or RevisionStatus.Failed => Color.Error,
        EnvironmentStatus.Deploying or EnvironmentStatus.Destroying => Color.Info,
        EnvironmentStatus.Deployed => Color.Success,
        EnvironmentStatus.Failed => Color.Error,
        EnvironmentStatus.Requested => Color.Primary,
        _ => Color.Default,
    };
}
