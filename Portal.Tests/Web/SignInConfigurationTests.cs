using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using Portal.Tests.Access;
using Portal.Tests.Api;
using Portal.Tests.Postgres;
using Portal.Web.Identity;

namespace Portal.Tests.Web;

/// <summary>How sign-in is configured: development sign-in only on loopback, OpenID Connect for production.</summary>
[Trait(Lanes.Category, Lanes.Api)]
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
    public void OnlyLoopbackAddressesCountAsLoopback(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));

    [Fact]
    public void EveryWayOfNamingAnAddressIsCheckedBeforeThePortalListens()
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
    public void DevelopmentSignInAndTheSandboxRefuseToStartOnAPublicAddressBothNamedAtOnce()
    {
        // The development settings: development sign-in and the sandbox target.
        using var host = new ConfiguredHost(new() { ["urls"] = "http://0.0.0.0:5999" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.StartsWith("The portal would listen on http://0.0.0.0:5999, which is not loopback, with development tools on:", error.Message);
        Assert.Contains("Development sign-in is on", error.Message);
        Assert.Contains("Authentication:Development:Force", error.Message);
        Assert.Contains("Sandbox target sandbox is configured", error.Message);
        Assert.Contains("Sandbox:Force", error.Message);
    }

    [Fact]
    public void ASandboxTargetRefusesToStartOnAPublicAddressWithoutDevelopmentSignIn()
    {
        using var host = new ConfiguredHost(new()
        {
            ["Authentication:Mode"] = "OpenIdConnect",
            ["Authentication:OpenIdConnect:Authority"] = "https://login.example.com/realms/portal",
            ["Authentication:OpenIdConnect:ClientId"] = "portal",
            ["Targets:demo:Kind"] = "Sandbox",
            ["Kestrel:Endpoints:Public:Url"] = "http://portal.example.com:80",
        });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("http://portal.example.com:80", error.Message);
        Assert.Contains("Sandbox targets demo, sandbox are configured", error.Message);
        Assert.Contains("remove them (Targets:<name>) or make them Aws targets", error.Message);
        Assert.Contains("set Sandbox:Force=true", error.Message);
        Assert.DoesNotContain("Development sign-in", error.Message);
    }

    [Fact]
    public async Task ForcedDevelopmentSignInAndSandboxStartOnAPublicAddress()
    {
        using var host = new ConfiguredHost(new()
        {
            ["Authentication:Development:Force"] = "true",
            ["Sandbox:Force"] = "true",
            ["urls"] = "http://0.0.0.0:5999",
        });
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var signIn = await client.GetAsync("/signin");
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/environments") { Headers = { { "Authorization", "Bearer dev-alice" } } };
        using var withDevToken = await client.SendAsync(api);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("data-testid=\"signin-alice\"", await signIn.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, withDevToken.StatusCode);
    }

    [Fact]
    public async Task OpenIdConnectModeAnswersTheApiWith401AndSendsBrowsersToTheProvider()
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
    public void OpenIdConnectModeWithoutAnAuthoritySaysWhichSettingsAreMissing()
    {
        using var host = new ConfiguredHost(new() { ["Authentication:Mode"] = "OpenIdConnect" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Authentication:OpenIdConnect:Authority", error.Message);
        Assert.Contains("Authentication:OpenIdConnect:ClientId", error.Message);
    }

    [Fact]
    public async Task TheProvidersJwtSignsInToTheApiWithRolesFromTheConfiguredClaim()
    {
        using var provider = new TestIdentityProvider();
        using var otherRsa = RSA.Create(2048);
        var strangerKey = new RsaSecurityKey(otherRsa) { KeyId = "provider" };
        using var host = new ConfiguredHost(TestIdentityProvider.Settings(await TestDatabase.SettingsAsync()), services => provider.Trust(services));
        using var client = host.CreateClient();
        var name = PortalHost.UniqueName("oidc");

        string Token(string user, string claim, string role, SecurityKey? key = null, string audience = "portal") =>
            provider.Token(user + "-id", user, [role], claim, audience: audience, key: key);
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await client.SendAsync(request);
        }

        using var submitted = await SendAsync(HttpMethod.Post, "/api/environments", Token("alice", "groups", "engineer"), ApiClient.Json(ApiClient.SpecJson(name)));
        using var approverSubmits = await SendAsync(HttpMethod.Post, "/api/environments", Token("bob", "groups", "approver"), ApiClient.Json(ApiClient.SpecJson(name + "-b")));
        using var engineerApproves = await SendAsync(HttpMethod.Post, $"/api/environments/{name}/revisions/1/approve", Token("alice", "groups", "engineer"), ApiClient.Comment(null));
        using var approverReads = await SendAsync(HttpMethod.Get, $"/api/environments/{name}", Token("bob", "groups", "approver"));
        // Roles count only from the configured claim; a token from another key or for another audience is nobody.
        using var roleInOtherClaim = await SendAsync(HttpMethod.Post, "/api/environments", Token("erin", "roles", "engineer"), ApiClient.Json(ApiClient.SpecJson(name + "-e")));
        using var strangersToken = await SendAsync(HttpMethod.Get, "/api/environments", Token("mallory", "groups", "admin", strangerKey));
        using var otherAudience = await SendAsync(HttpMethod.Get, "/api/environments", Token("mallory", "groups", "admin", audience: "another-app"));

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("alice", (await submitted.JsonAsync()).GetProperty("revision").GetProperty("requestedBy").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, approverSubmits.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, engineerApproves.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approverReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, roleInOtherClaim.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, strangersToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.StatusCode);
    }
}
