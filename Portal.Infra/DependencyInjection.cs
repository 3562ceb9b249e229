using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infra.Aws;
using Portal.Infra.Budgets;
using Portal.Infra.CloudFormation;
using Portal.Infra.Costs;
using Portal.Infra.Deployments;
using Portal.Infra.Intake;
using Portal.Infra.Synthesis;
using Portal.Infra.Targets;

namespace Portal.Infra;

/// <summary>What Portal.Infra adds to a host: its deploy targets and their AWS clients, and its cost estimates.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Deploy targets (section <c>Targets</c>, validated at start-up), the per-target CloudFormation clients
    /// (<see cref="ICloudFormationFactory"/>, each waiting at its target's <see cref="CallBudgets">call budget</see>, kept by the
    /// <see cref="ICallBudgetStore"/>), the intake queues' SQS clients (<see cref="IStackEventQueueClients"/>) and diagnosis clients (<see cref="IDiagnosticsClientFactory"/>; retry settings of
    /// both from section <c>CloudFormation</c>), the sandbox
    /// address (<see cref="SandboxAddress"/>) and credentials (<see cref="SandboxCredentials"/>, section <c>Sandbox</c>),
    /// the <see cref="StackEventWatcher"/> (poll intervals from section <c>StackEvents</c>), the CDK synthesis and the
    /// change sets built on them. Services are added only where the host has none of its own (TryAdd), so a host or a
    /// test replaces one (an <see cref="ISandboxAddress"/>, an <see cref="ICloudFormationFactory"/>) by registering it.
    /// </summary>
    public static IServiceCollection AddPortalInfra(this IServiceCollection services, IConfiguration configuration)
    {
        var targets = configuration.GetSection(TargetOptions.Section);
        services.AddOptions<TargetOptions>().Bind(targets).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TargetOptions>>(new TargetOptionsValidator(targets));
        services.AddOptions<CloudFormationClientOptions>().Bind(configuration.GetSection(CloudFormationClientOptions.Section));
        services.AddOptions<WatchOptions>().Bind(configuration.GetSection(WatchOptions.Section));
        services.AddOptions<SandboxCredentials>().Bind(configuration.GetSection(SandboxCredentials.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxAddress>();
        services.TryAddSingleton<ISandboxAddress>(sp => sp.GetRequiredService<SandboxAddress>());
        services.TryAddSingleton<ICallBudgetStore, InMemoryCallBudgetStore>();
        services.TryAddSingleton<CallBudgets>();
        services.TryAddSingleton<CloudFormationFactory>();
        services.TryAddSingleton<IStackEventQueueClients>(sp => sp.GetRequiredService<CloudFormationFactory>());
        services.TryAddSingleton<ICloudFormationFactory>(sp => sp.GetRequiredService<CloudFormationFactory>());
        services.TryAddSingleton<IDiagnosticsClientFactory>(sp => sp.GetRequiredService<CloudFormationFactory>());
        services.TryAddSingleton<StackEventWatcher>();
        services.TryAddSingleton<ITemplateSynthesizer, TemplateSynthesizer>();
        services.TryAddSingleton<ChangeSets>();
        return services;
    }

    /// <summary>
    /// The price table (section <c>Pricing</c>, validated at start-up against the configured targets, so it needs
    /// <see cref="AddPortalInfra"/>) and the <see cref="CostEstimator"/>: only a host that shows estimates adds them.
    /// </summary>
    public static IServiceCollection AddPortalCostEstimates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PriceTable>().Bind(configuration.GetSection(PriceTable.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PriceTable>, PriceTableValidator>();
        services.AddSingleton<CostEstimator>();
        return services;
    }
}
