using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;
using Portal.Tests.Postgres;

namespace Portal.Tests.Support;

/// <summary>
/// The real portal (Program), on a real Kestrel port on 127.0.0.1, with its SQLite database in a temp folder. One host
/// serves every test of the "Host" collection, as starting it once keeps the suite fast; tests therefore use
/// environment names of their own (<see cref="UniqueName"/>). Hosts of their own (other collections, job fixtures,
/// portal processes) run beside it: each has its own Hangfire storage and job activator (Portal.Jobs DependencyInjection.AddPortalJobs).
/// With <c>PORTAL_TEST_DATABASE=Postgres</c> (scripts/test.sh's second pass) it runs on a PostgreSQL cluster of its own instead.
/// Users: the development settings' alice (engineer), bob and carol (approvers), dana (admin), plus erin
/// (engineer and approver) to show that an approver still cannot approve their own request.
/// A host <see cref="OnData"/> instead takes its data folder, database and sandbox from the test, so they outlive it:
/// for restarts, and for a web host whose jobs run in a separate worker process.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;
    // A data folder and database of its own, and the test defaults below; else all comes from the test's settings.
    private readonly bool _ownData;
    private IReadOnlyDictionary<string, string> _database = new Dictionary<string, string>();

    public PortalHost() : this(new Dictionary<string, string>()) { }

    /// <summary>A host with <paramref name="settings"/> over the ones above and test <paramref name="services"/>, on
    /// <paramref name="port"/> (0: any free one).</summary>
    internal PortalHost(IReadOnlyDictionary<string, string> settings, int port = 0, Action<IServiceCollection>? services = null)
        : this(settings, Path.Combine(TempFolder.New("host"), "data"), ownData: true, port, services) { }

    private PortalHost(IReadOnlyDictionary<string, string> settings, string dataDirectory, bool ownData, int port = 0,
        Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _ownData = ownData;
        _services = services;
        DataDirectory = dataDirectory;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    /// <summary>
    /// A started host on the data folder, database and sandbox of <paramref name="settings"/> (<see cref="SettingsAsync"/>):
    /// hosts on the same settings share them, as a restarted portal does; disposing it leaves them to the test.
    /// </summary>
    public static PortalHost OnData(IReadOnlyDictionary<string, string> settings)
    {
        var host = new PortalHost(settings, settings[DatabaseConfiguration.DataDirKey], ownData: false);
        host.Serve();
        return host;
    }

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

    public string DataDirectory { get; }

    /// <summary>Where the portal listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (_ownData) UseTestDefaults(builder);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    private void UseTestDefaults(IWebHostBuilder builder)
    {
        builder.UseSetting(DatabaseConfiguration.DataDirKey, DataDirectory);
        foreach (var (key, value) in _database) builder.UseSetting(key, value);
        builder.UseSetting("Authentication:Mode", "Development");
        // The sandbox deploys in about a second, and the watcher polls fast enough to follow it.
        builder.UseSetting("Sandbox:TimeScale", "0.002");
        // Tests slow this sandbox down under the running portal (SandboxPace), and with it its read budget, which the
        // portal's own pace, set at start, cannot follow. The budget has tests of its own (Portal.Tests/Budgets, Sandbox).
        builder.UseSetting("Sandbox:ReadBudget:RatePerSecond", "0");
        builder.UseSetting("StackEvents:ActiveInterval", "00:00:00.100");
        builder.UseSetting("StackEvents:QuietInterval", "00:00:00.300");
        // Every test of a collection submits as the same few users to this one host: the per-user limit would be met.
        builder.UseSetting("Submissions:PerUser", "100000");
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
        Serve();
    }

    private void Serve()
    {
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

/// <summary>The tests that share one portal host, one after another. A test that starts a host of its own is not in it.</summary>
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
