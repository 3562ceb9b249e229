using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Sandbox;
using Portal.Tests.Api;
using Portal.Tests.Browser;

namespace Portal.Tests.Drift;

/// <summary>The Check drift button on a real environment page: an approver finds a property changed by hand.</summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class DriftBrowserTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AnApproverChecksDriftAndThePageShowsTheChangedProperty()
    {
        var name = await host.DeployedForAliceAsync("drift-page");
        var sandbox = host.Services.GetRequiredService<SandboxCloudFormation>();
        var bob = await chromium.SignInAsync(host, "bob");
        await Chromium.GoToAsync(bob, $"/environments/{name}");
        var status = bob.Locator("[data-testid=drift-status]");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "None");
        using var api = host.Api("bob");
        var logicalId = (await api.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events")).EnumerateArray()
            .Select(e => e.GetProperty("logicalResourceId").GetString()!).First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
        sandbox.Drift($"portal-{name}", logicalId, "/DesiredCount", "4");
        await bob.Locator("[data-testid=check-drift]").ClickAsync();

        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Drifted", new() { Timeout = 60_000 });
        await Assertions.Expect(status).ToContainTextAsync("1 resource drifted");
        var row = bob.Locator($"[data-testid=drift-row][data-logical-id={logicalId}]");
        await Assertions.Expect(row.Locator("[data-testid=drift-path]")).ToHaveTextAsync("/DesiredCount");
        await Assertions.Expect(row.Locator("[data-testid=drift-actual]")).ToHaveTextAsync("4");
        await Assertions.Expect(row.Locator("[data-testid=drift-type]")).ToHaveTextAsync("NOT_EQUAL");
        await Chromium.ScreenshotAsync(bob, "drift-drifted", 1280);
        await Chromium.ScreenshotAsync(bob, "drift-drifted", 390);
    }
}
