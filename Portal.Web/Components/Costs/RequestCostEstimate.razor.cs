using Microsoft.AspNetCore.Components;
using Portal.Infra.Costs;
using Portal.Infra.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Costs;

/// <summary>
/// The request form's estimate, recomputed on every change of the spec. It depends only on the target and each
/// tier's size and desired count: while one of those is invalid there is no figure, and the note says which field
/// to fix; other fields (name, image) do not hold it back.
/// </summary>
public partial class RequestCostEstimate
{
    private static readonly string[] CostFields =
        ["target", "frontend.cpu", "frontend.memoryMiB", "frontend.desiredCount", "backend.cpu", "backend.memoryMiB", "backend.desiredCount"];

    /// <summary>The spec as the form holds it now.</summary>
    [Parameter, EditorRequired] public EnvironmentSpec Spec { get; set; } = default!;

    /// <summary>The validator's current errors on the spec.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<FieldError> Errors { get; set; } = [];

    /// <summary>The spec deployed now when changing an environment; null for a new one.</summary>
    [Parameter] public EnvironmentSpec? DeployedSpec { get; set; }

    [Inject] private CostEstimator Estimator { get; set; } = default!;

    private IReadOnlyList<FieldError> Blocking { get; set; } = [];

    private CostEstimate? Estimate { get; set; }

    private CostEstimate? Deployed { get; set; }

    protected override void OnParametersSet()
    {
        Blocking = [.. Errors.Where(e => CostFields.Contains(e.Field, StringComparer.Ordinal))];
        Estimate = Blocking.Count == 0 ? Estimator.Estimate(Spec) : null;
        Deployed = DeployedSpec is null ? null : Estimator.Estimate(DeployedSpec);
    }
}
