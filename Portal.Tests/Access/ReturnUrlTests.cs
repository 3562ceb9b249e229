using System.Net;
using Portal.Web.Identity;

namespace Portal.Tests.Access;

/// <summary>
/// Signing in returns to the page the user came from, and only to a page of the portal: a return URL that a browser
/// (or a proxy decoding it once more) would read as another site, a script or anything but a local path sends them to "/".
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ReturnUrlTests(PortalHost host)
{
    [Theory]
    [InlineData("//evil.com")]
    [InlineData("///evil.com")]
    [InlineData("/\\evil.com")]
    [InlineData("\\/evil.com")]
    [InlineData("\\\\evil.com")]
    [InlineData("/%09/evil.com")] // a browser reading the decoded tab drops it: //evil.com
    [InlineData("/%5Cevil.com")]
    [InlineData("/%5cevil.com")]
    [InlineData("/%2F/evil.com")]
    [InlineData("/%2f%2fevil.com")]
    [InlineData("/%252F/evil.com")] // encoded twice
    [InlineData("/\t/evil.com")]
    [InlineData("/\n/evil.com")]
    [InlineData("/\r\n/evil.com")]
    [InlineData("/\0/evil.com")]
    [InlineData("/\u007f/evil.com")]
    [InlineData("/environments\r\nSet-Cookie: x=y")]
    [InlineData("\t//evil.com")]
    [InlineData(" /evil.com")]
    [InlineData("https://evil.com")]
    [InlineData("http:evil.com")]
    [InlineData("//evil.com/environments")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("evil.com")]
    [InlineData("environments")]
    [InlineData("~/environments")]
    [InlineData("")]
    [InlineData(null)]
    public void AReturnUrlThatLeavesThePortalBecomesTheRoot(string? returnUrl) =>
        Assert.Equal("/", AccountEndpoints.LocalOrRoot(returnUrl));

    [Theory]
    [InlineData("/")]
    [InlineData("/environments")]
    [InlineData("/environments/orders-dev/revisions/2")]
    [InlineData("/approvals?sort=requested&page=2")]
    [InlineData("/environments?search=orders%20dev")]
    [InlineData("/environments/orders-dev#audit")]
    public void APathOfThePortalIsKept(string returnUrl) =>
        Assert.Equal(returnUrl, AccountEndpoints.LocalOrRoot(returnUrl));

    [Theory]
    [InlineData("/%09/evil.com")]
    [InlineData("/\t/evil.com")]
    [InlineData("//evil.com")]
    public async Task DevelopmentSignInSendsAHostileReturnUrlToTheRoot(string returnUrl)
    {
        using var session = BrowserSession.Anonymous(host);

        using var signIn = await session.PostFormAsync("/account/signin", await session.FormTokenAsync("/signin"),
            new() { ["user"] = "alice", ["returnUrl"] = returnUrl });

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
    }
}
