using Portal.Infra.Environments;
using Portal.Infra.Synthesis;
using Portal.Tests.Environments;

namespace Portal.Tests.Engine;

/// <summary>
/// The orders-dev sample synthesized once for every engine test: as it is, updated (new frontend image tag and
/// desired count), and with a frontend image tagged <c>fail-…</c>, which the sandbox makes fail.
/// </summary>
public sealed class EngineTemplates : IAsyncLifetime
{
    public const string Collection = "Deploy engine against the sandbox";

    public EnvironmentSpec Spec { get; } = SpecSamples.Load(SpecSamples.OrdersDev);
    public string StackName { get; private set; } = "";
    public string Healthy { get; private set; } = "";
    public string Updated { get; private set; } = "";
    public string Failing { get; private set; } = "";
    public int HealthyResourceCount { get; private set; }

    public async Task InitializeAsync()
    {
        var synthesizer = new TemplateSynthesizer();
        var healthy = await synthesizer.SynthesizeAsync(new SynthRequest(Spec, "engine-tests"));
        StackName = healthy.StackName;
        Healthy = healthy.TemplateJson;
        HealthyResourceCount = healthy.ResourceTotal;
        Updated = (await synthesizer.SynthesizeAsync(new SynthRequest(Frontend(tag: "1.5.0", desiredCount: 3), "engine-tests"))).TemplateJson;
        Failing = (await synthesizer.SynthesizeAsync(new SynthRequest(Frontend(tag: "fail-1.5.0"), "engine-tests"))).TemplateJson;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private EnvironmentSpec Frontend(string tag, int? desiredCount = null) => Spec with
    {
        Frontend = Spec.Frontend with
        {
            Image = Spec.Frontend.Image with { Tag = tag },
            DesiredCount = desiredCount ?? Spec.Frontend.DesiredCount,
        },
    };
}

[CollectionDefinition(EngineTemplates.Collection)]
public sealed class EngineTemplatesCollection : ICollectionFixture<EngineTemplates>;
