using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using Portal.Jobs.Data;
using Portal.Tests.Browser;
using Portal.Tests.Hosting;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// The portal process as production runs it: <c>ASPNETCORE_ENVIRONMENT=Production</c> on the shipped configuration,
/// sign-in with the test's OpenID provider, one Aws target (its endpoint, on loopback, is never called), HTTPS. The
/// browser reaches it by a public host name, https://portal.test:&lt;port&gt; (Chromium maps the name to 127.0.0.1):
/// HSTS is never sent for localhost, 127.0.0.1 or [::1], nor over plain HTTP, so only a real host name over HTTPS
/// shows what a user's browser gets. Behind a TLS-terminating load balancer (docs/OPERATIONS.md) the portal sees the same
/// through the forwarded headers.
/// </summary>
public sealed class ProductionPortal : IAsyncLifetime
{
    private readonly string _folder = TempFolder.New("production");

    internal OpenIdProvider Provider { get; private set; } = default!;

    internal PortalProcess Portal { get; private set; } = default!;

    internal Chromium Chromium { get; } = new($"--host-resolver-rules=MAP {TestCertificates.PublicHost} 127.0.0.1");

    /// <summary>The portal as the public reaches it, e.g. https://portal.test:41234/.</summary>
    public Uri PublicAddress { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        PublicAddress = new Uri($"https://{TestCertificates.PublicHost}:{port}/");
        Provider = await OpenIdProvider.StartAsync(new Uri(PublicAddress, "/signin-oidc").ToString());
        Portal = await PortalProcess.StartAsync(new Dictionary<string, string>(Provider.PortalSettings())
        {
            [DatabaseConfiguration.DataDirKey] = Path.Combine(_folder, "data"),
            ["Targets:prod:Kind"] = "Aws",
            ["Targets:prod:Region"] = "eu-west-1",
            ["Targets:prod:ServiceUrl"] = "https://127.0.0.1:9/",
        }, "Production", TestCertificates.Export(Path.Combine(_folder, "certificates")), port);
        // A fresh process renders its first page slowly (compiling it): do that here, not under a browser's deadline.
        using var client = Portal.Client();
        using var signIn = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        await Chromium.InitializeAsync();
    }

    /// <summary>
    /// A browser that opened <paramref name="path"/> anonymously, signed in at the provider as <paramref name="login"/>
    /// and came back; with every answer the portal gave it on the way (redirects included). The page stays as the
    /// server rendered it: run from the build output rather than published, a Production portal serves no static web
    /// assets (ASP.NET serves them from the build only in Development), so Blazor's script never starts.
    /// </summary>
    public async Task<(IPage Page, IReadOnlyCollection<IResponse> Answers)> SignInAsync(string login, string path = "/environments")
    {
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PublicAddress.ToString(),
            IgnoreHTTPSErrors = true, // the certificates come from the test's own authority, which Chromium does not know
        });
        context.SetDefaultTimeout(20_000);
        var answers = new ConcurrentQueue<IResponse>();
        context.Response += (_, response) =>
        {
            if (new Uri(response.Url).Host == TestCertificates.PublicHost) answers.Enqueue(response);
        };
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        Assert.StartsWith(Provider.Issuer + "/interaction/", page.Url);
        await OpenIdProvider.SignInAsync(page, login);
        await page.WaitForURLAsync(PublicAddress + "**");
        await page.Locator("[data-testid=signed-in-user]").WaitForAsync();
        return (page, answers);
    }

    public async Task DisposeAsync()
    {
        // Whatever started, even when starting the rest failed.
        if (Chromium.Browser is not null) await Chromium.DisposeAsync();
        Portal?.Dispose();
        Provider?.Dispose();
        TempFolder.Delete(_folder);
    }
}
