using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Revisions;
using Portal.Tests.Jobs;

namespace Portal.Tests.DeployEta;

/// <summary>What a deploy predicts is learnt per target: durations seen on one target say nothing about another's.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class DeployEtaTargetTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    // A second target on the same sandbox: the same resources deploy as fast there, so only the target tells them apart.
    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync(settings: sandbox => new Dictionary<string, string?>
    {
        ["Targets:staging:Kind"] = "Sandbox",
        ["Targets:staging:ServiceUrl"] = sandbox.ToString(),
        ["Targets:staging:RequiredApprovals"] = "1",
    });

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Fact]
    public async Task TheFirstDeployToATargetIsPredictedFromTheDefaultsThoughAnotherTargetHasHistory()
    {
        var onSandbox = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("eta-sandbox"));
        Assert.Equal(RevisionStatus.Deployed, (await _jobs.ApproveAndDeployAsync(onSandbox.Id)).Status);

        var onStaging = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("eta-staging") with { Target = "staging" });
        var deployed = await _jobs.ApproveAndDeployAsync(onStaging.Id);

        Assert.Equal(RevisionStatus.Deployed, deployed.Status);
        // Predicted at its start from staging's history, which was empty: AWS's typical durations (a NAT gateway, two load
        // balancers, services), many minutes. The sandbox target's history, a deploy of about a second, would say seconds.
        Assert.True(deployed.PredictedDuration >= TimeSpan.FromMinutes(5), $"predicted {deployed.PredictedDuration}");
        var plan = RevisionPlan.FromJson(onStaging.PlanJson);
        var fromSandbox = await _jobs.Get<DeployEtaQueries>().AtStartAsync("sandbox", plan, default);
        Assert.Equal(EtaBasis.History, fromSandbox!.Basis);
        Assert.True(fromSandbox.Remaining < TimeSpan.FromMinutes(1), $"sandbox history predicts {fromSandbox.Remaining}");

        // Staging learnt from its own deploy.
        var fromStaging = await _jobs.Get<DeployEtaQueries>().AtStartAsync("staging", plan, default);
        Assert.Equal(EtaBasis.History, fromStaging!.Basis);
        Assert.True(fromStaging.Remaining < TimeSpan.FromMinutes(1), $"staging history predicts {fromStaging.Remaining}");
    }
}
