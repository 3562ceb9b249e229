using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;
using Portal.Tests.Postgres;

namespace Portal.Tests.Hosting;

/// <summary>
/// A portal host of its own on a data folder the test chooses, using an external sandbox endpoint (so the stacks
/// outlive the host): for restarts, and for a web host whose jobs run in a separate worker process.
/// </summary>
public sealed class SeparateHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public SeparateHost(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>
    /// Settings shared by the hosts and workers of one test: its data folder (and its own PostgreSQL database in the
    /// PostgreSQL pass, <see cref="TestDatabase"/>), the sandbox (null: the portal's own, in its data folder), fast polling.
    /// </summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(string dataDirectory, Uri? sandbox)
    {
        var settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync())
        {
            [DatabaseConfiguration.DataDirKey] = dataDirectory,
            ["Authentication:Mode"] = "Development",
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["StackEvents:ActiveInterval"] = "00:00:00.100",
            ["StackEvents:QuietInterval"] = "00:00:00.300",
        };
        if (sandbox is not null)
            settings["Targets:sandbox:ServiceUrl"] = sandbox.ToString();
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public SeparateHost Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address + "/");
        return this;
    }

    public HttpClient Api(string user) => new()
    {
        BaseAddress = BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", $"dev-{user}") },
    };
}
