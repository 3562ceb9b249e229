using Portal.Infra.Costs;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Environments;

namespace Portal.Jobs.Revisions;

/// <summary>One revision with its cost and ETA. Needs the price table (<see cref="CostEstimator"/>), which only the web host loads.</summary>
public sealed class RevisionQueries(EnvironmentQueries environments, DeployEtaQueries eta, CostEstimator costs)
{
    public async Task<RevisionDetail> GetAsync(string environment, int number, CancellationToken cancellationToken)
    {
        var revision = await environments.GetRevisionAsync(environment, number, cancellationToken);
        var deployed = await environments.GetDeployedRevisionAsync(environment, cancellationToken);
        return new RevisionDetail(revision, RevisionCost.Of(costs, revision, deployed), await eta.ForAsync(revision, cancellationToken));
    }
}
