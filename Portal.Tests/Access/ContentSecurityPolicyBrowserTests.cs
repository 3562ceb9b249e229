using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;

namespace Portal.Tests.Access;

/// <summary>
/// The Content-Security-Policy lets every page work (the circuit connects, MudBlazor's styles and popovers apply, the
/// dashboard loads) without a single violation, and it does stop an inline script that is not the page's own.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class ContentSecurityPolicyBrowserTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    private const string CollectViolations = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
        """;

    [Fact]
    public async Task EveryPageWorksUnderThePolicyWithoutAViolation()
    {
        var name = await host.RequestedByAliceAsync("csp");
        var page = await chromium.SignInAsync(host, "dana");
        await page.Context.AddInitScriptAsync(CollectViolations);
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (console) console.Add(message.Text);
            }
        };

        foreach (var path in new[] { "/environments", "/request", $"/environments/{name}", $"/environments/{name}/edit", "/approvals" })
        {
            // Interactive means the circuit's WebSocket connected under connect-src.
            await Chromium.GoToAsync(page, path);
            await AssertNoViolationAsync(page, path);
        }

        // A popover (MudBlazor positions it with inline styles) and the theme's <style> element.
        await Chromium.GoToAsync(page, "/request");
        await page.Locator("div.mud-select", new() { Has = page.Locator("#target") }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open").First).ToBeVisibleAsync();
        Assert.Equal("rgb(255, 255, 255)", await page.Locator(".mud-paper").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await AssertNoViolationAsync(page, "/request with the target list open");

        await page.GotoAsync("/hangfire");
        await Assertions.Expect(page.Locator("#stats, .js-page-container").First).ToBeVisibleAsync();
        await AssertNoViolationAsync(page, "/hangfire");

        var signedOut = await chromium.Browser.NewPageAsync(new() { BaseURL = host.BaseAddress.ToString() });
        await signedOut.Context.AddInitScriptAsync(CollectViolations);
        await signedOut.GotoAsync("/signin");
        await AssertNoViolationAsync(signedOut, "/signin");
        lock (console) Assert.Empty(console);
    }

    [Fact]
    public async Task AnInlineScriptThatIsNotThePagesOwnDoesNotRun()
    {
        var page = await chromium.SignInAsync(host, "alice");
        await page.Context.AddInitScriptAsync(CollectViolations);
        await Chromium.GoToAsync(page, "/environments");

        var ran = await page.EvaluateAsync<bool>("""
            () => {
                const script = document.createElement('script');
                script.textContent = 'window.__inline = true';
                document.body.appendChild(script);
                return window.__inline === true;
            }
            """);

        Assert.False(ran);
        Assert.Contains("script-src-elem blocked inline", await page.EvaluateAsync<string[]>("() => window.__cspViolations"));
    }

    private static async Task AssertNoViolationAsync(IPage page, string where)
    {
        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations ?? []");
        Assert.True(violations.Length == 0, $"{where}: {string.Join("; ", violations)}");
    }
}
