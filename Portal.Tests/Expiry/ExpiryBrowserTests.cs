using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portal.Jobs.Expiry;
using Portal.Tests.Api;
using Portal.Tests.Browser;

namespace Portal.Tests.Expiry;

/// <summary>The expiry warning and extending it in a real browser; screenshots <c>expiry-notice</c> at 1280 and 390 px.</summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class ExpiryBrowserTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TheOwnerSeesTheWarningADayAheadAndExtendsTheExpiryOnThePage()
    {
        var name = PortalHost.UniqueName("exp");
        var body = JsonNode.Parse(ApiClient.SpecJson(name))!.AsObject();
        body["expiresAt"] = DateTimeOffset.UtcNow.AddHours(23.5).ToString("O");
        using (var submitted = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(body.ToJsonString())))
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        var notice = alice.Locator("[data-testid=expiry-notice]");
        await Assertions.Expect(notice).ToContainTextAsync("Expires in 23 h");
        await Chromium.ScreenshotAsync(alice, "expiry-notice", 1280);
        await Chromium.ScreenshotAsync(alice, "expiry-notice", 390);

        await alice.Locator("[data-testid=extend]").ClickAsync();
        var extended = DateTime.UtcNow.AddDays(6);
        await alice.Locator("#expires-at").FillAsync(extended.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await alice.Locator("[data-testid=save-expiry]").ClickAsync();

        await Assertions.Expect(notice).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Locator("[data-testid=expiry-date]"))
            .ToContainTextAsync($"Expires on {ExpiryRules.Format(new DateTimeOffset(extended, TimeSpan.Zero))}");
        await Assertions.Expect(alice.Locator("[data-testid=audit]")).ToContainTextAsync("Expiry extended");
    }
}
