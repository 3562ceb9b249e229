using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Browser;
using Portal.Tests.Hosting;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// The portal in this process on 127.0.0.1, signing in with a real OpenID provider (<see cref="OpenIdProvider"/>), and
/// Chromium. The portal's calls to the provider trust the test's certificate authority, as a company's servers trust
/// its own; nothing else in its sign-in is changed. The sandbox target needs two approvals here, so that a test can
/// show who counts as a second approver.
/// </summary>
public sealed class OpenIdPortal : IAsyncLifetime
{
    public OpenIdProvider Provider { get; private set; } = default!;

    public PortalHost Host { get; private set; } = default!;

    public Chromium Chromium { get; } = new();

    /// <summary>Where the provider sends browsers back to the portal.</summary>
    public string RedirectUri { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        RedirectUri = $"http://127.0.0.1:{port}/signin-oidc";
        Provider = await OpenIdProvider.StartAsync(RedirectUri);
        Host = new PortalHost(new Dictionary<string, string>(Provider.PortalSettings()) { ["Targets:sandbox:RequiredApprovals"] = "2" }, port,
            services =>
            {
                services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = TestCertificates.Trusting());
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = TestCertificates.Trusting());
            });
        await Host.InitializeAsync();
        await Chromium.InitializeAsync();
    }

    /// <summary>
    /// A browser that opened <paramref name="path"/> anonymously, was sent to the provider, signed in there as
    /// <paramref name="login"/> and came back to the portal (to <paramref name="path"/>, or to where its roles allow),
    /// ready for clicks.
    /// </summary>
    public async Task<IPage> SignInAsync(string login, string path = "/environments")
    {
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            IgnoreHTTPSErrors = true, // the provider's certificate comes from the test's own authority
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        Assert.StartsWith(Provider.Issuer + "/interaction/", page.Url);
        await OpenIdProvider.SignInAsync(page, login);
        await page.WaitForURLAsync(Host.BaseAddress + "**");
        await Chromium.WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary><paramref name="login"/>'s access token for the portal's API, from the provider.</summary>
    public Task<string> AccessTokenAsync(string login) => Provider.AccessTokenAsync(Chromium.Browser, login);

    /// <summary>A client of the portal's API that sends <paramref name="accessToken"/>.</summary>
    public HttpClient Api(string accessToken) => new()
    {
        BaseAddress = Host.BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) },
    };

    public async Task DisposeAsync()
    {
        // Whatever started, even when starting the rest failed.
        if (Chromium.Browser is not null) await Chromium.DisposeAsync();
        if (Host is not null) await ((IAsyncLifetime)Host).DisposeAsync();
        Provider?.Dispose();
    }
}

/// <summary>The tests against the real provider: one portal and provider for all, tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class OpenIdCollection : ICollectionFixture<OpenIdPortal>
{
    public const string Name = "OpenIdConnect";
}
