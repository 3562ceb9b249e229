using Portal.Infra.CloudWatchLogs;
using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Infra.Ecs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infra.Aws;
using Portal.Infra.CloudFormation;
using Portal.Infra.Configuration;
using Portal.Sandbox;
using Portal.Infra.Targets;

namespace Portal.Infra.Cli;

/// <summary>
/// What the deploy commands need, configured as the portal is (the root appsettings.json, with appsettings.Development.json
/// and its sandbox target when <c>DOTNET_ENVIRONMENT=Development</c>, then environment variables such as
/// <c>Targets__x__ServiceUrl</c>). A Sandbox target gets its own in-process sandbox endpoint on a loopback port, so its
/// stacks live as long as the command.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly SandboxServer? _sandbox;

    private CliHost(ServiceProvider services, Target target, SandboxServer? sandbox)
    {
        _services = services;
        Target = target;
        _sandbox = sandbox;
    }

    public Target Target { get; }

    public ICloudFormation CloudFormation { get; private init; } = null!;

    /// <summary>The target's ECS, Elastic Load Balancing and CloudWatch Logs clients (same credentials as <see cref="CloudFormation"/>).</summary>
    public DiagnosticsClients Diagnostics { get; private init; } = null!;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<CliHost> StartAsync(string targetName, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddPortalDefaults(SharedConfiguration.EnvironmentName()).AddEnvironmentVariables().Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddPortalInfra(configuration)
            .BuildServiceProvider();
        var targets = services.GetRequiredService<IOptions<TargetOptions>>().Value;
        if (!targets.TryGetValue(targetName, out var target))
        {
            await services.DisposeAsync();
            throw new UsageException($"--target: unknown target \"{targetName}\"; configured: {(targets.Count == 0 ? "none" : string.Join(", ", targets.Keys.Order()))}");
        }

        SandboxServer? sandbox = null;
        if (target.Kind == TargetKind.Sandbox && string.IsNullOrEmpty(target.ServiceUrl))
        {
            var options = configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
            sandbox = await SandboxServer.StartAsync(options, cancellationToken);
            var address = services.GetRequiredService<SandboxAddress>();
            address.ServiceUrl = sandbox.Url;
            // Said, not derived: the standalone sandbox serves CloudFormation at its root and each other service beside it.
            address.SetUrl(EcsClient.SigningService, sandbox.EcsUrl);
            address.SetUrl(ElasticLoadBalancingV2Client.SigningService, sandbox.ElasticLoadBalancingUrl);
            address.SetUrl(CloudWatchLogsClient.SigningService, sandbox.LogsUrl);
        }
        return new CliHost(services, target, sandbox)
        {
            CloudFormation = services.GetRequiredService<ICloudFormationFactory>().For(targetName),
            Diagnostics = services.GetRequiredService<IDiagnosticsClientFactory>().For(targetName),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_sandbox is not null) await _sandbox.DisposeAsync();
        await _services.DisposeAsync();
    }
}
