using Microsoft.AspNetCore.Components;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;

namespace Portal.Web.Components.Deployments;

/// <summary>
/// Beside the progress bar: while the revision deploys, the remaining time <see cref="DeployEta"/> predicts from the
/// target's history and the events so far (worked out again at every render, so it moves as events arrive and time
/// passes); "rough" when some resource types have no history yet. Afterwards, the prediction made at the start against
/// the time it took.
/// </summary>
public sealed partial class DeployEtaNote
{
    private RevisionPlan? _plan;
    private int _planOf;

    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The target's history (<see cref="DeployEtaQueries.HistoryAsync"/>); empty means every duration is a default.</summary>
    [Parameter] public DeployHistory History { get; set; } = DeployHistory.Empty;

    /// <summary>The revision's stack events so far, in any order.</summary>
    [Parameter] public IReadOnlyList<StackEventView> Events { get; set; } = [];

    protected override void OnParametersSet()
    {
        if (_planOf == Revision.Id && _plan is not null) return;
        _planOf = Revision.Id;
        _plan = RevisionPlan.FromJson(Revision.PlanJson);
    }

    private EtaPrediction? Prediction() => _plan is null
        ? null
        : DeployEta.Predict(_plan, History,
            Events.Select(e => new EtaEvent(e.LogicalResourceId, e.ResourceType, e.ResourceStatus, e.Timestamp)), DateTimeOffset.UtcNow);

    private static string BasisText(EtaPrediction eta) => eta.Basis switch
    {
        EtaBasis.History => "From how long these resources took in earlier deploys to this target.",
        _ => "Rough: no earlier deploys to this target for " + string.Join(", ", eta.DefaultedTypes) + "; typical AWS times are assumed.",
    };
}
