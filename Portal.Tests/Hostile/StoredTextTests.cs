using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;

namespace Portal.Tests.Hostile;

/// <summary>
/// Text people store (approval comments, rejection reasons, variable values and secret keys shown in the spec diff and
/// the spec) is shown as the text it is: literally, as markup that never becomes elements, and scripts that never run.
/// The check does not lean on the Content-Security-Policy: were the text rendered as HTML, it would not read literally
/// and the page would hold the payload's elements.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class StoredTextTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>
    /// Three ways in: a script element, an event handler, and breaking out of an attribute. No double quote or backslash,
    /// so the spec diff and the spec (which show values as JSON strings) show it unchanged too.
    /// </summary>
    internal const string Payload =
        "<script>window.__xss='script'</script><img src=x onerror=window.__xss='img';alert(1)>'><svg onload=window.__xss='svg'></svg>";

    [Fact]
    public async Task AScriptInACommentAReasonOrAValueIsShownLiterallyAndNeverRuns()
    {
        // A request whose variable value and secret JSON key carry the payload, waiting in the queue.
        var approved = PortalHost.UniqueName("xss");
        using (var submitted = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(SpecWithPayload(approved))))
        {
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }
        await host.RevisionReachesAsync(approved, 1, "AwaitingApproval");

        var carol = ScriptTrap.On(await chromium.SignInAsync(host, "carol"));
        await Chromium.GoToAsync(carol.Page, "/approvals");
        await carol.Page.Locator("#search").FillAsync(approved);
        await Assertions.Expect(carol.Page.Locator($"[data-testid=request-{approved}-1] [data-testid=spec-diff]")).ToContainTextAsync(Payload);
        await AssertShownLiterallyAsync(carol);

        // bob approves with the payload as his comment; the environment page shows it with the spec and the audit trail.
        using (var approval = await host.Api("bob").PostAsync($"/api/environments/{approved}/revisions/1/approve", ApiClient.Comment(Payload)))
        {
            Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        }
        var rejected = await host.RequestedByAliceAsync("xss");
        using (var rejection = await host.Api("bob").PostAsync($"/api/environments/{rejected}/revisions/1/reject", ApiClient.Comment(Payload)))
        {
            Assert.Equal(HttpStatusCode.OK, rejection.StatusCode);
        }

        var alice = ScriptTrap.On(await chromium.SignInAsync(host, "alice"));
        await Chromium.GoToAsync(alice.Page, $"/environments/{approved}");
        await Assertions.Expect(alice.Page.Locator("[data-testid=revision-1]")).ToContainTextAsync($"“{Payload}”");
        await alice.Page.GetByText("Spec", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(alice.Page.Locator(".portal-spec")).ToContainTextAsync(Payload);
        await AssertShownLiterallyAsync(alice);

        await Chromium.GoToAsync(alice.Page, $"/environments/{rejected}");
        await Assertions.Expect(alice.Page.Locator("[data-testid=revision-1] [data-testid=status-reason]")).ToHaveTextAsync(Payload);
        await AssertShownLiterallyAsync(alice);
    }

    private static string SpecWithPayload(string name)
    {
        var spec = JsonNode.Parse(ApiClient.SpecJson(name))!.AsObject();
        spec["frontend"]!["environment"]!["LOG_LEVEL"] = Payload;
        spec["frontend"]!["secrets"]![0]!["jsonKey"] = Payload;
        return spec.ToJsonString();
    }

    /// <summary>The page reads the payload as text, holds none of its elements, and nothing of it ran.</summary>
    internal static async Task AssertShownLiterallyAsync(ScriptTrap trap)
    {
        Assert.Contains(Payload, await trap.Page.Locator("body").InnerTextAsync());
        Assert.Equal(0, await trap.Page.EvaluateAsync<int>(
            "() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]').length + " +
            "[...document.scripts].filter(s => s.textContent.includes('__xss')).length"));
        await trap.AssertNothingRanAsync();
    }
}
