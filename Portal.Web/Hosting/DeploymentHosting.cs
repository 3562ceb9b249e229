using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Portal.Sandbox;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;
using Portal.Jobs.StackEvents;
using Portal.Web.Identity;

namespace Portal.Web.Hosting;

/// <summary>
/// The jobs (Hangfire) in the web host, the built-in sandbox endpoint (only where a Sandbox target is configured: the
/// development settings), and the admins' dashboard.
/// </summary>
public static class DeploymentHosting
{
    public static WebApplicationBuilder AddPortalDeployments(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalDeployments(builder.Configuration);
        builder.Services.AddLiveEvents(builder.Configuration);
        // The built-in sandbox keeps its account beside the portal's data, so a restart finds the stacks the portal knows of.
        if (NeedsBuiltInSandbox(builder.Configuration))
            builder.Services.AddSandboxCloudFormation(builder.Configuration, Path.Combine(PortalDatabase.DataDirectory(builder.Configuration), "sandbox"));
        return builder;
    }

    public static WebApplication MapPortalDeployments(this WebApplication app)
    {
        // Admins only; the dashboard's own local-requests filter is replaced by the portal's policy.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [], AppPath = "/", DashboardTitle = "Portal jobs", DisplayStorageConnectionString = false,
        }).RequireAuthorization(PortalPolicies.AdminOnly);

        if (!NeedsBuiltInSandbox(app.Configuration)) return app;
        app.MapSandboxCloudFormation();
        // Under /api: bearer tokens only (no CSRF) and problem answers; a demo control, so not in the API's document.
        app.MapSandboxDrift("/api/sandbox/drift").RequireAuthorization(PortalPolicies.ApiClient, PortalPolicies.AdminOnly).ExcludeFromDescription();
        // Sandbox targets call this very host once it listens; tell the CloudFormation factory where that is.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null) return;
            var loopback = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
                .Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://localhost", "://127.0.0.1");
            app.Services.GetRequiredService<SandboxAddress>().ServiceUrl = new Uri(loopback.TrimEnd('/') + SandboxHosting.DefaultPattern);
        });
        return app;
    }

    /// <summary>Allows Sandbox targets on an address beyond loopback (see <see cref="LoopbackGuard"/>).</summary>
    public const string SandboxForceKey = "Sandbox:Force";

    /// <summary>
    /// The Sandbox targets, a development tool (the development settings have one, <c>sandbox</c>), unless
    /// <see cref="SandboxForceKey"/> allows them anywhere.
    /// </summary>
    public static IEnumerable<LoopbackOnlyTool> SandboxTargets(IConfiguration configuration)
    {
        var names = Sandboxes(configuration).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0 || configuration.GetValue<bool>(SandboxForceKey)) yield break;
        const string what = "(simulated deployments, and a CloudFormation endpoint that takes any signature)";
        yield return names is [var name]
            ? new LoopbackOnlyTool($"Sandbox target {name} is configured {what}", $"remove it (Targets:{name}) or make it an Aws target", SandboxForceKey)
            : new LoopbackOnlyTool($"Sandbox targets {string.Join(", ", names)} are configured {what}",
                "remove them (Targets:<name>) or make them Aws targets", SandboxForceKey);
    }

    /// <summary>A Sandbox target without a ServiceUrl of its own is served by this host.</summary>
    private static bool NeedsBuiltInSandbox(IConfiguration configuration) =>
        Sandboxes(configuration).Any(t => string.IsNullOrEmpty(t["ServiceUrl"]));

    private static IEnumerable<IConfigurationSection> Sandboxes(IConfiguration configuration) =>
        configuration.GetSection(TargetOptions.Section).GetChildren()
            .Where(t => string.Equals(t["Kind"], nameof(TargetKind.Sandbox), StringComparison.OrdinalIgnoreCase));
}
