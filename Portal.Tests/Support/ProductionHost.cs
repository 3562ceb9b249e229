using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Jobs.Data;
using Portal.Tests.Access;
using Portal.Tests.Postgres;

namespace Portal.Tests.Support;

/// <summary>
/// The portal as a production deployment configures it, in memory: environment Production (so none of the development
/// settings), the shipped default sign-in (OpenID Connect, with the provider's configuration given so nothing is
/// fetched), one Aws target, no job server, and a data folder of its own (a database of its own in the PostgreSQL pass).
/// Requests go to <see cref="Address"/> over HTTPS, as through the load balancer, unless a test says otherwise.
/// </summary>
public sealed class ProductionHost : WebApplicationFactory<Program>
{
    public const string Authority = "https://login.example.com/realms/portal";

    /// <summary>Where users reach the portal.</summary>
    public static readonly Uri Address = new("https://portal.example.com/");

    /// <summary>The provider's published configuration (its endpoints), as discovery would return it.</summary>
    public static readonly OpenIdConnectConfiguration Provider = new()
    {
        Issuer = Authority,
        AuthorizationEndpoint = Authority + "/protocol/openid-connect/auth",
        TokenEndpoint = Authority + "/protocol/openid-connect/token",
    };

    private readonly IReadOnlyDictionary<string, string> _settings;

    private ProductionHost(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>Every line the host logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Settings for one deployment: its data folder and database, plus <paramref name="extra"/>. Hosts started from the
    /// same settings share the database, as the instances (or restarts) of one deployment do.
    /// </summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync())
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(TempFolder.New("production"), "data"),
            ["Jobs:RunServer"] = "false",
            ["Authentication:OpenIdConnect:Authority"] = Authority,
            ["Authentication:OpenIdConnect:ClientId"] = "portal",
            ["Targets:prod:Kind"] = "Aws",
            ["Targets:prod:Region"] = "eu-west-1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return settings;
    }

    /// <summary>A started host with <see cref="SettingsAsync"/>' settings (or these).</summary>
    public static async Task<ProductionHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = new ProductionHost(settings ?? await SettingsAsync());
        host.StartServer();
        return host;
    }

    /// <summary>A client of the portal at <see cref="Address"/> (or <paramref name="address"/>) that follows no redirects.</summary>
    public HttpClient Client(Uri? address = null) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = address ?? Address, AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.Configuration = Provider);
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.Configuration = Provider);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(Path.GetDirectoryName(_settings[DatabaseConfiguration.DataDirKey])!);
    }
}
