using Portal.Infra.Costs;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Environments;
using Portal.Jobs.ServiceHealth;

namespace Portal.Jobs.Revisions;

/// <summary>One revision with its cost, ETA and its deploy's last reading of its services. Needs the price table (<see cref="CostEstimator"/>), which only the web host loads.</summary>
public sealed class RevisionQueries(EnvironmentQueries environments, DeployEtaQueries eta, CostEstimator costs, EnvironmentHealthQueries health)
{
    public async Task<RevisionDetail> GetAsync(string environment, int number, CancellationToken cancellationToken)
    {
        var revision = await environments.GetRevisionAsync(environment, number, cancellationToken);
        var deployed = await environments.GetDeployedRevisionAsync(environment, cancellationToken);
        return new RevisionDetail(revision, RevisionCost.Of(costs, revision, deployed), await eta.ForAsync(revision, cancellationToken),
            await health.DiagnosisAsync(environment, number, cancellationToken));
    }
}
