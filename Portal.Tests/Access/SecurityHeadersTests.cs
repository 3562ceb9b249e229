using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Api;

namespace Portal.Tests.Access;

/// <summary>
/// Every answer carries the security headers: pages, the API (success and problems), the event stream, the OpenAPI
/// document, the dashboard, static files, redirects, error pages and the sandbox endpoint.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed partial class SecurityHeadersTests(PortalHost host)
{
    public static TheoryData<string, string> Answers() => new()
    {
        { "dana", "/environments" },
        { "dana", "/request" },
        { "dana", "/approvals" },
        { "dana", "/hangfire" },
        { "dana", "/no-such-page" },
        { "anonymous", "/signin" },
        { "anonymous", "/environments" },
        { "anonymous", "/openapi/v1.json" },
        { "anonymous", "/app.css" },
        { "anonymous", "/_framework/blazor.web.js" },
        { "anonymous", "/api/environments" },
        { "bearer", "/api/environments" },
        { "bearer", "/api/environments/no-such-environment" },
        { "bearer", "/api/environments/{name}/events/stream" },
        { "anonymous", "/sandbox/cloudformation" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EveryAnswerCarriesTheSecurityHeaders(string who, string path)
    {
        var name = path.Contains("{name}") ? await host.RequestedByAliceAsync("headers") : "";
        using var session = who == "dana" ? await BrowserSession.SignInAsync(host, "dana") : BrowserSession.Anonymous(host);
        using var bearer = host.Api("alice");
        var client = who == "bearer" ? bearer : session.Client;

        using var response = await client.GetAsync(path.Replace("{name}", name), HttpCompletionOption.ResponseHeadersRead);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            // Scripts from the portal only, and the page's one inline script (the import map) by this answer's nonce.
            var nonce = ScriptSources().Match(policy);
            Assert.True(nonce.Success, policy);
            Assert.DoesNotContain("unsafe", nonce.Value);
            if (response.StatusCode == HttpStatusCode.OK && path != "/hangfire")
            {
                Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce.Groups[1].Value}\">", await response.Content.ReadAsStringAsync());
            }
        }
        else
        {
            Assert.StartsWith("default-src 'none'", policy);
        }
    }

    [Fact]
    public async Task EachPageGetsANonceOfItsOwn()
    {
        using var session = BrowserSession.Anonymous(host);

        using var first = await session.Client.GetAsync("/signin");
        using var second = await session.Client.GetAsync("/signin");

        Assert.NotEqual(
            ScriptSources().Match(first.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value,
            ScriptSources().Match(second.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value);
    }

    [GeneratedRegex("script-src 'self' 'nonce-([0-9a-f]{32})';")]
    private static partial Regex ScriptSources();
}
