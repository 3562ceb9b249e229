using Portal.Tests.Hosting;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
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
/// serves every test of the "Host" collection: the portal keeps process-wide state (Hangfire), and starting it once
/// keeps the suite fast. Tests therefore use environment names of their own (<see cref="UniqueName"/>).
/// With <c>PORTAL_TEST_DATABASE=Postgres</c> (scripts/test.sh's second pass) it runs on a PostgreSQL cluster of its own instead.
/// Users: the development settings' alice (engineer), bob and carol (approvers), dana (admin), plus erin
/// (engineer and approver) to show that an approver still cannot approve their own request.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private IReadOnlyDictionary<string, string> _database = new Dictionary<string, string>();

    public PortalHost()
    {
        DataDirectory = Path.Combine(TestEnvironment.TempRoot, "portal-tests", "host-" + Guid.NewGuid().ToString("n"), "data");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; }

    /// <summary>Where the portal listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(PortalDatabase.DataDirKey, DataDirectory);
        foreach (var (key, value) in _database) builder.UseSetting(key, value);
        builder.UseSetting("Authentication:Mode", "Development");
        // The sandbox deploys in about a second, and the watcher polls fast enough to follow it.
        builder.UseSetting("Sandbox:TimeScale", "0.002");
        builder.UseSetting("StackEvents:ActiveInterval", "00:00:00.100");
        builder.UseSetting("StackEvents:QuietInterval", "00:00:00.300");
        builder.UseSetting("Authentication:Development:Users:erin:0", PortalRoles.Engineer);
        builder.UseSetting("Authentication:Development:Users:erin:1", PortalRoles.Approver);
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
