using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Sandbox;
using Portal.Jobs.Data;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Hosting;

/// <summary>
/// What a production deployment gets from the shipped settings: no sandbox, no development sign-in, HSTS, cookies that
/// travel over HTTPS only, its host names checked, and its data protection keys encrypted once a certificate is given
/// (a warning until then).
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ProductionSettingsTests(PortalHost development)
{
    private const string UnencryptedKeysWarning = "Data protection keys are stored unencrypted";

    [Fact]
    public async Task AProductionPortalServesNoSandboxAndNoDevelopmentSignIn()
    {
        await using var host = await ProductionHost.StartAsync();
        using var client = host.Client();
        var (antiforgeryCookie, formToken) = AntiforgeryTokens(host);

        using var sandboxCall = await client.SendAsync(SandboxCall());
        using var sandboxPost = await client.PostAsync(SandboxHosting.DefaultPattern,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeStacks", ["Version"] = "2010-05-15" }));
        using var devToken = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/environments")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "dev-alice") },
        });
        using var devSignIn = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Headers = { { "Cookie", antiforgeryCookie.Split(';')[0] } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "alice", ["__RequestVerificationToken"] = formToken }),
        });
        using var signInPage = await client.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.NotFound, sandboxCall.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sandboxPost.StatusCode);
        // Nor its drift control, nor anything else of the sandbox.
        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "");
        Assert.DoesNotContain(routes, r => r.Contains("sandbox", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, devToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, devSignIn.StatusCode);
        Assert.False(devSignIn.Headers.Contains("Set-Cookie"));
        var page = await signInPage.Content.ReadAsStringAsync();
        Assert.Contains("Sign in with your identity provider", page);
        Assert.DoesNotContain("signin-alice", page);
    }

    [Fact]
    public async Task AProductionPortalAsksBrowsersToUseHttpsOnly()
    {
        await using var host = await ProductionHost.StartAsync();
        using var client = host.Client();

        using var page = await client.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var hsts = Assert.Single(page.Headers.GetValues("Strict-Transport-Security"));
        Assert.StartsWith("max-age=", hsts);
    }

    [Fact]
    public async Task ProductionCookiesAreSecureEvenWhenTheRequestCameInOverPlainHttp()
    {
        await using var host = await ProductionHost.StartAsync();
        // TLS ended at a proxy that does not say so (no forwarded headers): the portal sees plain HTTP.
        using var client = host.Client(new Uri("http://portal.example.com/"));

        using var challenge = await client.GetAsync("/account/signin/oidc?returnUrl=%2Fenvironments");
        var signInCookie = await SignInCookieAsync(host, scheme: "http");

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith(ProductionHost.Provider.AuthorizationEndpoint, challenge.Headers.Location!.ToString());
        var cookies = challenge.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Correlation."));
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.OpenIdConnect.Nonce."));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("portal.auth=", signInCookie);
        Assert.Contains("; secure", signInCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", signInCookie, StringComparison.OrdinalIgnoreCase);
        // Antiforgery cookies are secure too, so forms are refused outright over plain HTTP rather than leaking the cookie.
        Assert.Contains("; secure", AntiforgeryTokens(host).SetCookie, StringComparison.OrdinalIgnoreCase);
        var overHttp = Assert.Throws<InvalidOperationException>(() => AntiforgeryTokens(host, scheme: "http"));
        Assert.Contains("SSL", overHttp.Message);
    }

    [Fact]
    public async Task DataProtectionKeysAreStoredEncryptedWithTheConfiguredCertificateAndReadBackWithIt()
    {
        var settings = await ProductionHost.SettingsAsync();
        var folder = Path.GetDirectoryName(settings[DatabaseConfiguration.DataDirKey])!;
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "data-protection.pfx");
        TestCertificates.WriteSelfSignedPfx(certificatePath, "pfx password");
        settings["DataProtection:Certificate:Path"] = certificatePath;
        settings["DataProtection:Certificate:Password"] = "pfx password";

        await using var host = await ProductionHost.StartAsync(settings);
        var cookie = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("alice's session");
        var stored = await StoredKeysAsync(host);
        // Another instance of the deployment (or the same after a restart), with the same certificate file.
        await using var other = await ProductionHost.StartAsync(settings);
        var readByOther = other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(cookie);

        var key = Assert.Single(stored);
        Assert.DoesNotContain("<masterKey", key);
        Assert.Contains("<EncryptedData", key);
        Assert.Equal("alice's session", readByOther);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(UnencryptedKeysWarning));

        // Another certificate cannot read those keys: the portal works with a new key, and what the old one protected
        // (everyone's sign-in) is gone.
        TestCertificates.WriteSelfSignedPfx(certificatePath, "pfx password");
        await using var rotated = await ProductionHost.StartAsync(settings);
        var protector = rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Throws<CryptographicException>(() => protector.Unprotect(cookie));
        Assert.Equal("bob's session", protector.Unprotect(protector.Protect("bob's session")));
    }

    [Fact]
    public async Task WithoutACertificateAProductionPortalWarnsThatItsKeysAreUnencrypted()
    {
        await using var host = await ProductionHost.StartAsync();

        var warning = Assert.Single(host.Logs.Lines, l => l.Contains(UnencryptedKeysWarning));
        Assert.StartsWith("Warning ", warning);
        Assert.Contains("DataProtection:Certificate:Path", warning);
    }

    [Theory]
    [InlineData("missing.pfx", "pfx password")]
    [InlineData("data-protection.pfx", "wrong password")]
    public async Task AnUnreadableCertificateStopsTheStartNamingTheSetting(string file, string password)
    {
        var settings = await ProductionHost.SettingsAsync();
        var folder = Path.GetDirectoryName(settings[DatabaseConfiguration.DataDirKey])!;
        Directory.CreateDirectory(folder);
        TestCertificates.WriteSelfSignedPfx(Path.Combine(folder, "data-protection.pfx"), "pfx password");
        settings["DataProtection:Certificate:Path"] = Path.Combine(folder, file);
        settings["DataProtection:Certificate:Password"] = password;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ProductionHost.StartAsync(settings));

            Assert.StartsWith($"DataProtection:Certificate:Path: cannot read '{Path.Combine(folder, file)}'", error.Message);
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task AProductionPortalAnswersOnlyToTheHostNamesItIsGiven()
    {
        await using var host = await ProductionHost.StartAsync(await ProductionHost.SettingsAsync(new Dictionary<string, string>
        {
            ["AllowedHosts"] = "portal.example.com",
        }));

        using var ours = await host.Client().GetAsync("/signin");
        using var other = await host.Client(new Uri("https://portal.attacker.example/")).GetAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task ADevelopmentPortalAnswersOnlyToLoopbackHostNames()
    {
        // A web page that rebinds its own name to 127.0.0.1 would otherwise reach the portal, where dev-<name> tokens work.
        using var http = new HttpClient { BaseAddress = development.BaseAddress };
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/environments")
        {
            Headers = { Host = $"rebound.attacker.example:{development.BaseAddress.Port}", Authorization = new AuthenticationHeaderValue("Bearer", "dev-dana") },
        };

        using var viaOtherName = await http.SendAsync(rebound);
        using var viaLoopback = await development.Api("dana").GetAsync("/api/environments");

        Assert.Equal(HttpStatusCode.BadRequest, viaOtherName.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaLoopback.StatusCode);
    }

    /// <summary>A CloudFormation call the sandbox would answer: the Query protocol's GET form, signed well enough for it.</summary>
    private static HttpRequestMessage SandboxCall()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, SandboxHosting.DefaultPattern + "?Action=DescribeStacks&Version=2010-05-15");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20250101T000000Z");
        request.Headers.TryAddWithoutValidation("Authorization", SandboxSigning.UnsignedAuthorization);
        return request;
    }

    /// <summary>The antiforgery cookie (as set) and form token the host issues for a page answered over <paramref name="scheme"/>.</summary>
    private static (string SetCookie, string FormToken) AntiforgeryTokens(ProductionHost host, string scheme = "https")
    {
        using var scope = host.Services.CreateScope();
        var context = Context(scope.ServiceProvider, scheme);
        var tokens = scope.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var cookie = context.Response.Headers.SetCookie.Single()!;
        Assert.StartsWith(scope.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name + "=", cookie);
        return (cookie, tokens.RequestToken!);
    }

    /// <summary>The cookie the portal sets when someone signs in on a request that came in over <paramref name="scheme"/>.</summary>
    private static async Task<string> SignInCookieAsync(ProductionHost host, string scheme)
    {
        using var scope = host.Services.CreateScope();
        var context = Context(scope.ServiceProvider, scheme);
        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim("preferred_username", "alice")], "oidc", "preferred_username", "roles"));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, alice);
        return context.Response.Headers.SetCookie.Single()!;
    }

    private static DefaultHttpContext Context(IServiceProvider services, string scheme) => new()
    {
        RequestServices = services,
        Request = { Scheme = scheme, Host = new HostString(ProductionHost.Address.Host), Path = "/signin" },
    };

    private static async Task<List<string>> StoredKeysAsync(ProductionHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }
}
