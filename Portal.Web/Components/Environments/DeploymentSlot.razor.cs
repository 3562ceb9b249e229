using Microsoft.AspNetCore.Components;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;

namespace Portal.Web.Components.Environments;

/// <summary>
/// Where the environment page shows a deployment: for now a note that the newest revision is queued. The live view
/// (progress bar, stack events appended as they arrive, resources by group, failure banner, outputs) goes here,
/// keeping these parameters, so the page around it does not change.
/// </summary>
public partial class DeploymentSlot
{
    /// <summary>The environment being deployed.</summary>
    [Parameter, EditorRequired] public EnvironmentSummary Environment { get; set; } = default!;

    /// <summary>Its newest revision (the one that deploys, if any does).</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;
}
