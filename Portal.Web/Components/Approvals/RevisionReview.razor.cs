using Microsoft.AspNetCore.Components;
using Portal.Infra.Costs;
using Portal.Infra.Environments;
using Portal.Jobs.Revisions;

namespace Portal.Web.Components.Approvals;

/// <summary>
/// What an approver weighs, side by side on wide screens: the plan (change set and guardrail) and the spec diff; below
/// them what the revision does to the monthly cost.
/// </summary>
public partial class RevisionReview
{
    /// <summary>The revision under review.</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The spec deployed now; null before the first deploy (every field is then new).</summary>
    [Parameter] public EnvironmentSpec? DeployedSpec { get; set; }

    /// <summary>Extra CSS classes (spacing).</summary>
    [Parameter] public string? Class { get; set; }

    [Inject] private CostEstimator Estimator { get; set; } = default!;

    /// <summary>What the revision does to the monthly cost, as the API's revision answer states it (<see cref="RevisionCost"/>).</summary>
    private CostComparison Cost { get; set; } = default!;

    protected override void OnParametersSet() => Cost = RevisionCost.Compare(Estimator, Revision, DeployedSpec);
}
