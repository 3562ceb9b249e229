using Portal.Infra.Costs;
using Portal.Infra.Environments;

namespace Portal.Jobs.Revisions;

/// <summary>A revision's monthly cost against the deployed revision's (<paramref name="ComparedWithRevision"/>; null before the first deploy).</summary>
public sealed record RevisionCost(CostComparison Comparison, int? ComparedWithRevision)
{
    /// <summary>The revision's estimate (none for a destroy: nothing runs afterwards) against the deployed spec's (none before the first deploy).</summary>
    public static CostComparison Compare(CostEstimator estimator, RevisionView revision, EnvironmentSpec? deployed) =>
        estimator.Compare(deployed, revision.Kind == RevisionKind.Destroy ? null : revision.Spec);

    public static RevisionCost Of(CostEstimator estimator, RevisionView revision, RevisionView? deployed) =>
        new(Compare(estimator, revision, deployed?.Spec), deployed?.Number);
}
