using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Portal.Sandbox;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// The production configuration, proven on the portal process (<see cref="ProductionPortal"/>): no sandbox endpoint,
/// no development sign-in of any kind, HSTS on its pages, and every cookie it sets (sign-in, correlation and nonce of
/// the OpenID Connect round trip, antiforgery) marked Secure.
/// </summary>
[Trait(Lanes.Category, Lanes.OpenIdProvider)]
public sealed class ProductionConfigurationTests(ProductionPortal production) : IClassFixture<ProductionPortal>
{
    [Fact]
    public async Task TheSandboxEndpointIsNotThere()
    {
        using var client = production.Portal.Client();

        // Unsigned: were the sandbox there, it would answer for itself (refusing the call); nothing there is 404.
        using var cloudFormation = await client.PostAsync(SandboxHosting.DefaultPattern,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeStacks", ["Version"] = "2010-05-15" }));

        Assert.Equal(HttpStatusCode.NotFound, cloudFormation.StatusCode);
    }

    [Fact]
    public async Task DevelopmentSignInIsRefused()
    {
        using var client = production.Portal.Client();
        using var devToken = new HttpRequestMessage(HttpMethod.Get, "/api/environments")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "dev-dana") },
        };
        using var withDevToken = await client.SendAsync(devToken);
        var signInPage = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, withDevToken.StatusCode);
        Assert.DoesNotContain("data-testid=\"signin-", signInPage);
        Assert.Contains("Sign in with your identity provider", signInPage);

        // Signed in as alice, with a valid antiforgery token, the development sign-in form cannot make her dana.
        var (alice, _) = await production.SignInAsync("alice");
        var token = await alice.Locator("form[action='/account/signout'] input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        // Posted from the page itself: its cookies, and the browser's name for the portal.
        var status = await alice.EvaluateAsync<int>("""
            async token => (await fetch('/account/signin', {
                method: 'POST', redirect: 'manual',
                body: new URLSearchParams({ __RequestVerificationToken: token, user: 'dana', returnUrl: '/' }),
            })).status
            """, token);

        Assert.Equal((int)HttpStatusCode.NotFound, status);
        await alice.ReloadAsync();
        await Assertions.Expect(alice.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("alice");
    }

    [Fact]
    public async Task PagesTellBrowsersToUseHttpsOnly()
    {
        var (page, answers) = await production.SignInAsync("bob");

        var environments = answers.Last(a => a.Url == page.Url && a.Status == 200);
        var hsts = await environments.HeaderValueAsync("strict-transport-security");

        Assert.NotNull(hsts);
        Assert.Matches(@"max-age=[1-9]\d*", hsts);
    }

    [Fact]
    public async Task EveryCookieThePortalSetsIsSecure()
    {
        var (_, answers) = await production.SignInAsync("carol");

        var cookies = new List<string>();
        foreach (var answer in answers) cookies.AddRange(await answer.HeaderValuesAsync("set-cookie"));
        var names = cookies.Select(c => c[..c.IndexOf('=')]).ToList();

        // The sign-in cookie, the OpenID Connect round trip's correlation and nonce, and antiforgery: none is left out.
        Assert.Contains("portal.auth", names);
        Assert.Contains(names, n => n.StartsWith(".AspNetCore.Correlation."));
        Assert.Contains(names, n => n.StartsWith(".AspNetCore.OpenIdConnect.Nonce."));
        Assert.Contains(names, n => n.StartsWith(".AspNetCore.Antiforgery."));
        var insecure = cookies.Where(c => !c.Split(';').Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(insecure.Count == 0, "cookies without Secure: " + string.Join(" | ", insecure.Select(c => c[..c.IndexOf('=')])));
    }
}
