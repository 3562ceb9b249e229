using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Portal.Infra.Sandbox;

public static class SandboxHosting
{
    public const string DefaultPattern = "/sandbox/cloudformation";

    /// <summary>Registers the sandbox endpoint (a singleton) with options from the "Sandbox" configuration section.</summary>
    public static IServiceCollection AddSandboxCloudFormation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SandboxCloudFormation(
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Answers the CloudFormation Query API at <paramref name="pattern"/> (a client's ServiceUrl). The endpoint
    /// checks its own SigV4 header, so it is exempt from the host's authorization and antiforgery.
    /// </summary>
    public static IEndpointConventionBuilder MapSandboxCloudFormation(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        var sandbox = endpoints.ServiceProvider.GetRequiredService<SandboxCloudFormation>();
        return endpoints.MapMethods(pattern, [HttpMethods.Post, HttpMethods.Get], sandbox.HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery();
    }
}
