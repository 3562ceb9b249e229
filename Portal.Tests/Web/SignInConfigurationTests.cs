using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Portal.Jobs.Data;
using Portal.Web.Identity;

namespace Portal.Tests.Web;

/// <summary>How sign-in is configured: development sign-in only on loopback, OpenID Connect for production.</summary>
[Collection(HostCollection.Name)]
public sealed class SignInConfigurationTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://127.0.0.2:8080/", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("https://portal.example.com", false)]
    [InlineData("http://10.0.0.5:5000", false)]
    public void Only_loopback_addresses_count_as_loopback(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));

    [Fact]
    public void Every_way_of_naming_an_address_is_checked_before_the_portal_listens()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5000;http://0.0.0.0:5001",
            ["Kestrel:Endpoints:Public:Url"] = "http://portal.example.com:80",
            ["http_ports"] = "8080",
        }).Build();

        var open = LoopbackGuard.ConfiguredUrls(configuration).Where(u => !LoopbackGuard.IsLoopback(u)).ToList();

        Assert.Equal(["http://0.0.0.0:5001", "http://portal.example.com:80", "http://*:8080"], open);
    }

    [Fact]
    public void Development_sign_in_refuses_to_start_on_a_public_address()
    {
        using var host = new ConfiguredHost(new()
        {
            ["Authentication:Mode"] = "Development",
            ["urls"] = "http://0.0.0.0:5999",
        });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Development sign-in is on", error.Message);
        Assert.Contains("http://0.0.0.0:5999", error.Message);
        Assert.Contains("Authentication:Development:Force", error.Message);
    }

    [Fact]
    public async Task Open_id_connect_mode_answers_the_api_with_401_and_sends_browsers_to_the_provider()
    {
        using var host = new ConfiguredHost(new()
        {
            ["Authentication:Mode"] = "OpenIdConnect",
            ["Authentication:OpenIdConnect:Authority"] = "https://login.example.com/realms/portal",
            ["Authentication:OpenIdConnect:ClientId"] = "portal",
            ["Authentication:OpenIdConnect:RoleClaim"] = "groups",
        });
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var api = await client.GetAsync("/api/environments");
        using var devToken = new HttpRequestMessage(HttpMethod.Get, "/api/environments") { Headers = { { "Authorization", "Bearer dev-alice" } } };
        using var withDevToken = await client.SendAsync(devToken);
        using var signIn = await client.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withDevToken.StatusCode); // development tokens mean nothing here
        Assert.Contains("Sign in with your identity provider", await signIn.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Open_id_connect_mode_without_an_authority_says_which_settings_are_missing()
    {
        using var host = new ConfiguredHost(new() { ["Authentication:Mode"] = "OpenIdConnect" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Authentication:OpenIdConnect:Authority", error.Message);
        Assert.Contains("Authentication:OpenIdConnect:ClientId", error.Message);
    }

    /// <summary>An in-memory portal host with its own settings and no job server.</summary>
    private sealed class ConfiguredHost(Dictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "portal-tests", "signin-" + Guid.NewGuid().ToString("n"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting(PortalDatabase.DataDirKey, _data);
            builder.UseSetting("Jobs:RunServer", "false");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
