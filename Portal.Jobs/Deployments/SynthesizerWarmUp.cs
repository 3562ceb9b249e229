using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Jobs.Deployments;

/// <summary>
/// Starts jsii's Node process and loads the CDK in the background when a job server starts, so the first plan
/// does not pay the cold synth (about 2 s) on top of its own work. Start-up does not wait for it.
/// </summary>
internal sealed class SynthesizerWarmUp(ITemplateSynthesizer synthesizer, ILogger<SynthesizerWarmUp> logger) : BackgroundService
{
    private static readonly EnvironmentSpec Sample = new()
    {
        Name = "warm-up",
        Target = "warm-up",
        Frontend = new FrontendSpec
        {
            Image = new ImageRef { Repository = "frontend", Tag = "warm-up" },
            ContainerPort = 3000,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 1,
            HealthCheckPath = "/",
        },
        Backend = new BackendSpec
        {
            Image = new ImageRef { Repository = "backend", Tag = "warm-up" },
            ContainerPort = 8080,
            ListenerPort = 80,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 1,
            HealthCheckPath = "/",
        },
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await synthesizer.SynthesizeAsync(new SynthRequest(Sample), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a head start: the first real plan synthesizes (and reports) as usual.
            logger.LogWarning(e, "Warming up the CDK synthesizer failed");
        }
    }
}
