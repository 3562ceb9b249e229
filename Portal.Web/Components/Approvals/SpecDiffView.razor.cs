using Microsoft.AspNetCore.Components;
using Portal.Infra.Environments;

namespace Portal.Web.Components.Approvals;

/// <summary>The fields a revision changes, as removed (−) and added (+) lines that wrap on narrow screens.</summary>
public partial class SpecDiffView
{
    /// <summary>The spec deployed now; null before the first deploy.</summary>
    [Parameter] public EnvironmentSpec? Deployed { get; set; }

    /// <summary>The revision's spec.</summary>
    [Parameter, EditorRequired] public EnvironmentSpec Requested { get; set; } = default!;

    private IReadOnlyList<SpecChange> Changes { get; set; } = [];

    protected override void OnParametersSet() => Changes = SpecDiff.Between(Deployed, Requested);
}
