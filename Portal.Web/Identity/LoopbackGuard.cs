using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Web.Identity;

/// <summary>
/// A development tool that is safe on this machine only: what it is, how to turn it off, and the setting that allows it
/// beyond this machine anyway.
/// </summary>
/// <param name="Description">What is on and what it lets anyone reaching the portal do, e.g. "Development sign-in is on (anyone reaching it can sign in as anyone)".</param>
/// <param name="Remedy">How to turn it off, e.g. "configure OpenID Connect (Authentication:Mode=OpenIdConnect)".</param>
/// <param name="ForceSetting">The setting that allows it on any address, e.g. <c>Authentication:Development:Force</c>.</param>
public sealed record LoopbackOnlyTool(string Description, string Remedy, string ForceSetting);

/// <summary>
/// The development tools (development sign-in, the sandbox) let anyone reaching the portal act without credentials, so
/// the portal refuses to serve them beyond this machine unless each one's Force setting says so.
/// </summary>
public static class LoopbackGuard
{
    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards: "http://*:80", "http://+:80", "http://0.0.0.0", "http://[::]".
        var host = url.Split("://", 2) is [_, var rest] ? rest : url;
        host = host.Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>The addresses configuration asks Kestrel for (before start), so a wrong setup never listens.</summary>
    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        foreach (var key in new[] { "urls", "ASPNETCORE_URLS" })
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                yield return url;
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { } url) yield return url;
        foreach (var key in new[] { "http_ports", "https_ports" })
            if (!string.IsNullOrEmpty(configuration[key])) yield return "http://*:" + configuration[key]; // ports bind every address
    }

    /// <summary>Development sign-in, unless <c>Authentication:Development:Force</c>.</summary>
    public static IEnumerable<LoopbackOnlyTool> DevelopmentSignIn(PortalAuthenticationOptions options)
    {
        if (options.IsDevelopment && !options.Development.Force)
            yield return new LoopbackOnlyTool(
                "Development sign-in is on (anyone reaching the portal can sign in as anyone)",
                "configure OpenID Connect (Authentication:Mode=OpenIdConnect)",
                "Authentication:Development:Force");
    }

    /// <summary>
    /// Refuses to start when any of <paramref name="tools"/> is on and the portal would listen beyond loopback, naming
    /// every such tool at once; checked again on the addresses really bound once started.
    /// </summary>
    public static void EnsureLoopbackFor(this WebApplication app, IReadOnlyList<LoopbackOnlyTool> tools)
    {
        if (tools.Count == 0) return;
        Refuse(ConfiguredUrls(app.Configuration), tools);
        // Addresses can also come from code or the server's defaults: check what is really bound once started.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            try { Refuse(bound, tools); }
            catch (InvalidOperationException e)
            {
                app.Logger.LogCritical("{Message}", e.Message);
                Environment.ExitCode = 1;
                app.Lifetime.StopApplication();
            }
        });
    }

    private static void Refuse(IEnumerable<string> urls, IReadOnlyList<LoopbackOnlyTool> tools)
    {
        var open = urls.Where(u => !IsLoopback(u)).ToList();
        if (open.Count > 0)
            throw new InvalidOperationException(
                $"The portal would listen on {string.Join(", ", open)}, which is not loopback, with development tools on:" +
                string.Concat(tools.Select(t => $"\n- {t.Description}: {t.Remedy}, or set {t.ForceSetting}=true to accept that on this address.")) +
                "\nOr listen on 127.0.0.1 only.");
    }
}
