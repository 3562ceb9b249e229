using Portal.Infra.Deployments;
using Portal.Infra.Synthesis;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Sandbox;
using Portal.Tests.Environments;

namespace Portal.Tests.DeployEta;

/// <summary>The dependency waves the plan stores come from the synthesized template, and the ETA walks them.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class TemplateWavesTests
{
    [Fact]
    public async Task TheSeedsTemplateMakesTheServicesWaitForTheirLoadBalancersAndTheNatGatewayForItsSubnetAndAddress()
    {
        var synth = await new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(SpecSamples.Load(SpecSamples.OrdersDev)));
        var resources = synth.Resources().ToList();
        var dependencies = synth.Dependencies();
        string IdOf(string type, string prefix = "") => resources.Single(r => r.Type == type && r.LogicalId.StartsWith(prefix, StringComparison.Ordinal)).LogicalId;
        bool WaitsFor(string id, string type) => dependencies[id].Any(d => resources.Single(r => r.LogicalId == d).Type == type);

        var plan = new RevisionPlan
        {
            Operation = "CREATE",
            Changes = [.. resources.Select(r => new PlannedChange("Add", r.LogicalId, r.Type, null, []))],
            Dependencies = dependencies,
        };
        var eta = Portal.Jobs.Deployments.Eta.DeployEta.Predict(plan, DeployHistory.Empty, [], DateTimeOffset.UtcNow)!;

        Assert.Equal(resources.Select(r => r.LogicalId).Order(), dependencies.Keys.Order());
        var nat = IdOf("AWS::EC2::NatGateway");
        Assert.True(WaitsFor(nat, "AWS::EC2::EIP") && WaitsFor(nat, "AWS::EC2::Subnet"), $"{nat} waits for {string.Join(", ", dependencies[nat])}");
        Assert.True(WaitsFor(IdOf("AWS::ECS::Service", "Frontend"), "AWS::ElasticLoadBalancingV2::Listener"));
        // A load balancer, its listener, then the service behind it: one after the other, not side by side.
        Assert.True(eta.Remaining >= Default("AWS::ElasticLoadBalancingV2::LoadBalancer") + Default("AWS::ECS::Service"), $"predicted {eta.Remaining}");
        Assert.True(eta.Remaining < TimeSpan.FromTicks(resources.Sum(r => Default(r.Type).Ticks)), $"predicted {eta.Remaining}");
    }

    [Fact]
    public async Task ThePortalReadsTheSameDependenciesFromTheSeedsTemplateAsTheSandboxDeploysBy()
    {
        var synth = await new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(SpecSamples.Load(SpecSamples.OrdersDev)));

        // Two readers of their own: the portal's (for the ETA) and the sandbox's (the order it deploys in).
        static IEnumerable<string> Lines(IEnumerable<(string Id, IEnumerable<string> Dependencies)> resources) =>
            resources.Select(r => $"{r.Id}: {string.Join(", ", r.Dependencies.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal);
        Assert.Equal(
            Lines(SandboxTemplate.Parse(synth.TemplateJson).Resources.Select(r => (r.LogicalId, (IEnumerable<string>)r.Dependencies))),
            Lines(synth.Dependencies().Select(kv => (kv.Key, (IEnumerable<string>)kv.Value))));
    }

    private static TimeSpan Default(string type) => EtaDefaults.Duration(new ResourceStep(type, ResourceOperation.Create));
}
