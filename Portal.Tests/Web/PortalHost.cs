using Portal.Tests.Hosting;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Postgres;

namespace Portal.Tests.Web;

/// <summary>
/// The real portal (Program), on a real Kestrel port on 127.0.0.1, with its SQLite database in a temp folder. One host
/// serves every test of the "Host" collection, as starting it once keeps the suite fast; tests therefore use
/// environment names of their own (<see cref="UniqueName"/>). Hosts of their own (other collections, job fixtures,
/// portal processes) run beside it: each has its own Hangfire storage and job activator (Portal.Jobs DependencyInjection.AddPortalJobs).
/// With <c>PORTAL_TEST_DATABASE=Postgres</c> (scripts/test.sh's second pass) it runs on a PostgreSQL cluster of its own instead.
/// Users: the development settings' alice (engineer), bob and carol (approvers), dana (admin), plus erin
/// (engineer and approver) to show that an approver still cannot approve their own request.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;
    private IReadOnlyDictionary<string, string> _database = new Dictionary<string, string>();

    public PortalHost() : this(new Dictionary<string, string>()) { }

    /// <summary>A host with <paramref name="settings"/> over the ones above and test <paramref name="services"/>, on
    /// <paramref name="port"/> (0: any free one).</summary>
    internal PortalHost(IReadOnlyDictionary<string, string> settings, int port = 0, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
        DataDirectory = Path.Combine(TestEnvironment.TempRoot, "portal-tests", "host-" + Guid.NewGuid().ToString("n"), "data");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public string DataDirectory { get; }

    /// <summary>Where the portal listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(DatabaseConfiguration.DataDirKey, DataDirectory);
        foreach (var (key, value) in _database) builder.UseSetting(key, value);
        builder.UseSetting("Authentication:Mode", "Development");
        // The sandbox deploys in about a second, and the watcher polls fast enough to follow it.
        builder.UseSetting("Sandbox:TimeScale", "0.002");
        builder.UseSetting("StackEvents:ActiveInterval", "00:00:00.100");
        builder.UseSetting("StackEvents:QuietInterval", "00:00:00.300");
        // Every test of a collection submits as the same few users to this one host: the per-user limit would be met.
        builder.UseSetting("Submissions:PerUser", "100000");
        builder.UseSetting("Authentication:Development:Users:erin:0", PortalRoles.Engineer);
        builder.UseSetting("Authentication:Development:Users:erin:1", PortalRoles.Approver);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>A client for the API as <paramref name="user"/> (<c>Bearer dev-&lt;user&gt;</c>), or anonymous.</summary>
    public HttpClient Api(string? user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"dev-{user}");
        }

        return client;
    }

    /// <summary>A fresh environment name, so tests sharing the host never collide.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("n")[..8]}";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.SettingsAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single().Replace("[::]", "127.0.0.1") + "/");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(Path.GetDirectoryName(DataDirectory)!);
    }
}

/// <summary>Every test that runs the portal host: one host for all, tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<PortalHost>
{
    public const string Name = "Host";
}

/// <summary>
/// Every browser test, on a portal host of its own: they run one after another, as the "Host" collection's tests do,
/// but beside them, which keeps the suite's longest serial path (and CI's wall time) short.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserHostCollection : ICollectionFixture<PortalHost>
{
    public const string Name = "BrowserHost";
}
