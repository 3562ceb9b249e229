using System.Text.Json.Nodes;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Tests.Stacks;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class TemplateSynthesizerTests
{
    [Fact]
    public async Task EightConcurrentSynthsEachGetTheirOwnCorrectTemplate()
    {
        var synthesizer = new TemplateSynthesizer();
        var specs = Enumerable.Range(0, 8)
            .Select(i => SampleSpecs.OrdersDev($"env-{i}", frontendPort: 3000 + i, listenerPort: 8000 + i)).ToList();

        var results = await Task.WhenAll(specs.Select(s => synthesizer.SynthesizeAsync(new SynthRequest(s))));

        for (var i = 0; i < specs.Count; i++)
        {
            Assert.Equal($"portal-env-{i}", results[i].StackName);
            var t = new CfnTemplate(results[i].TemplateJson);
            var ports = t.OfType("AWS::ElasticLoadBalancingV2::TargetGroup").Select(tg => (int)tg.Props["Port"]!).Order();
            Assert.Equal([3000 + i, 8080], ports);
            var listeners = t.OfType("AWS::ElasticLoadBalancingV2::Listener").Select(l => (int)l.Props["Port"]!).Order();
            Assert.Equal([80, 8000 + i], listeners);
        }
    }

    [Fact]
    public async Task ASpecBeyondTheInlineTemplateLimitGetsAClearError()
    {
        var spec = SampleSpecs.OrdersDev("orders-dev", 3000, 80);
        var big = spec with
        {
            Frontend = spec.Frontend with
            {
                Environment = Enumerable.Range(0, 20).ToDictionary(i => $"VAR_{i}", _ => new string('x', 4000)),
            },
        };

        var error = await Assert.ThrowsAsync<SynthesisException>(() => new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(big)));

        Assert.Contains("51,200", error.Message);
        Assert.Contains("orders-dev", error.Message);
    }

    [Fact]
    public async Task ACancelledRequestDoesNotSynthesize()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new TemplateSynthesizer().SynthesizeAsync(new SynthRequest(SampleSpecs.OrdersDev("orders-dev", 3000, 80)), cts.Token));
    }
}
