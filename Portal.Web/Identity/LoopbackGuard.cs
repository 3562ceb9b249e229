using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Web.Identity;

/// <summary>
/// Development sign-in lets anyone be anyone, so the portal refuses to serve it beyond this machine unless
/// <c>Authentication:Development:Force</c> says so.
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

    public static void EnsureLoopbackForDevelopmentSignIn(this WebApplication app, PortalAuthenticationOptions options)
    {
        if (!options.IsDevelopment || options.Development.Force) return;
        Refuse(ConfiguredUrls(app.Configuration));
        // Addresses can also come from code or the server's defaults: check what is really bound once started.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            try { Refuse(bound); }
            catch (InvalidOperationException e)
            {
                app.Logger.LogCritical("{Message}", e.Message);
                Environment.ExitCode = 1;
                app.Lifetime.StopApplication();
            }
        });
    }

    private static void Refuse(IEnumerable<string> urls)
    {
        var open = urls.Where(u => !IsLoopback(u)).ToList();
        if (open.Count > 0)
            throw new InvalidOperationException(
                $"Development sign-in is on and the portal would listen on {string.Join(", ", open)}, which is not loopback. " +
                "Listen on 127.0.0.1 only, configure OpenID Connect (Authentication:Mode=OpenIdConnect), " +
                "or set Authentication:Development:Force=true if you accept that anyone reaching it can sign in as anyone.");
    }
}
