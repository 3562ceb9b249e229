using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infra.Deployments;
using Portal.Infra.Targets;

namespace Portal.Infra.CloudFormation;

public static class CloudFormationServiceCollectionExtensions
{
    /// <summary>
    /// Deploy targets (section <c>Targets</c>, validated at start-up), the per-target CloudFormation clients
    /// (<see cref="ICloudFormationFactory"/>; retry settings from section <c>CloudFormation</c>), the sandbox
    /// address (<see cref="SandboxAddress"/>, unless the host registered its own <see cref="ISandboxAddress"/>
    /// first) and credentials (<see cref="SandboxCredentials"/>, section <c>Sandbox</c>), and the
    /// <see cref="StackEventWatcher"/> (poll intervals from section <c>StackEvents</c>).
    /// </summary>
    public static IServiceCollection AddCloudFormation(this IServiceCollection services, IConfiguration configuration)
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
        services.TryAddSingleton<ICloudFormationFactory, CloudFormationFactory>();
        services.TryAddSingleton<StackEventWatcher>();
        return services;
    }
}
