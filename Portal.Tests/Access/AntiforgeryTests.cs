using System.Net;

namespace Portal.Tests.Access;

/// <summary>
/// Every form post needs the antiforgery token of the page that rendered it, so another site cannot post it for a
/// signed-in browser: the sign-in and sign-out forms, the pages themselves, and the Hangfire dashboard's actions.
/// (Blazor's interactive forms do not post: they run over the page's own circuit.)
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class AntiforgeryTests(PortalHost host)
{
    [Fact]
    public async Task SigningInWithoutTheFormsTokenIsRefusedAndSignsNobodyIn()
    {
        using var session = BrowserSession.Anonymous(host);
        using var someoneElses = BrowserSession.Anonymous(host);
        var foreignToken = await someoneElses.FormTokenAsync("/signin");
        await session.FormTokenAsync("/signin"); // the session has its own antiforgery cookie

        using var missing = await session.PostFormAsync("/account/signin", null, new() { ["user"] = "dana" });
        using var foreign = await session.PostFormAsync("/account/signin", foreignToken, new() { ["user"] = "dana" });
        using var tampered = await session.PostFormAsync("/account/signin", "CfDJ8" + new string('A', 100), new() { ["user"] = "dana" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Contains("antiforgery token", await missing.Content.ReadAsStringAsync());
        using var page = await session.Client.GetAsync("/environments");
        Assert.Equal("/signin", BrowserSession.RedirectPath(page)?.Split('?')[0]);
    }

    [Fact]
    public async Task SigningOutWithoutTheFormsTokenIsRefusedAndKeepsTheSession()
    {
        using var session = await BrowserSession.SignInAsync(host, "alice");

        using var forged = await session.PostFormAsync("/account/signout", null);
        using var stillSignedIn = await session.Client.GetAsync("/environments");
        using var signedOut = await session.PostFormAsync("/account/signout", await session.FormTokenAsync("/environments"));
        using var afterSignOut = await session.Client.GetAsync("/environments");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/signin", BrowserSession.RedirectPath(signedOut));
        Assert.Equal("/signin", BrowserSession.RedirectPath(afterSignOut)?.Split('?')[0]);
    }

    [Fact]
    public async Task APagePostWithoutATokenIsRefused()
    {
        using var session = await BrowserSession.SignInAsync(host, "dana");

        using var response = await session.PostFormAsync("/request", null, new() { ["name"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ADashboardActionWithoutTheDashboardsTokenIsRefusedEvenForAnAdmin()
    {
        using var session = await BrowserSession.SignInAsync(host, "dana");

        using var forged = await PageAccessTests.DashboardPostAsync(session, withToken: false);
        using var genuine = await PageAccessTests.DashboardPostAsync(session);

        // Hangfire's dashboard refuses a post without its token with 403 itself.
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }
}
