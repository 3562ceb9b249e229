using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Infra.Costs;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Tests.Environments;
using Portal.Web.Components.Costs;

namespace Portal.Tests.Costs;

/// <summary>
/// The estimate in a real browser: it follows what the engineer types on the form, and the approver sees what the
/// change adds. Screenshots <c>cost-form</c>, <c>cost-form-invalid</c> and <c>cost-review</c> at 1280 and 390 px.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class CostBrowserTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TheEstimateFollowsTheFormAndTheApproverSeesWhatTheChangeAdds()
    {
        var name = await host.DeployedForAliceAsync("cost-web");
        var deployed = SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name };
        var scaled = deployed with { Frontend = deployed.Frontend with { DesiredCount = 4 } };
        // Expected figures from the portal's own price table, so updating appsettings.json's prices does not break this.
        var change = host.Services.GetRequiredService<CostEstimator>().Compare(deployed, scaled);
        string Usd(decimal amount) => Money.Format(amount, "USD");

        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}/edit");
        var total = alice.Locator("[data-testid=cost-total]");
        await Assertions.Expect(total).ToHaveTextAsync(Usd(change.Before!.MonthlyTotal));

        await alice.Locator("#frontend-desired-count").FillAsync("99");
        await Assertions.Expect(alice.Locator("[data-testid=cost-unavailable]")).ToContainTextAsync("frontend.desiredCount");
        await Assertions.Expect(total).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(alice, "cost-form-invalid", 1280);
        await Chromium.ScreenshotAsync(alice, "cost-form-invalid", 390);

        await alice.Locator("#frontend-desired-count").FillAsync("4");
        await Assertions.Expect(total).ToHaveTextAsync(Usd(change.After!.MonthlyTotal));
        await Assertions.Expect(alice.Locator("[data-testid=cost-against-deployed]")).ToContainTextAsync(Money.Signed(change.MonthlyDifference, "USD"));
        await Chromium.ScreenshotAsync(alice, "cost-form", 1280);
        await Chromium.ScreenshotAsync(alice, "cost-form", 390);
        await alice.Locator("[data-testid=submit]").ClickAsync();
        await alice.WaitForURLAsync($"**/environments/{name}");

        await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
        var bob = await chromium.SignInAsync(host, "bob");
        await Chromium.GoToAsync(bob, "/approvals");
        await bob.Locator("#search").FillAsync(name);
        var request = bob.Locator($"[data-testid=request-{name}-2]");
        await Assertions.Expect(request.Locator("[data-testid=cost-difference]")).ToHaveTextAsync(Money.Signed(change.MonthlyDifference, "USD"));
        await Assertions.Expect(request.Locator("[data-testid=cost-line-change].portal-cost-changed")).ToHaveCountAsync(2);
        await request.Locator("[data-testid=cost-change]").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(bob, "cost-review", 1280);
        await Chromium.ScreenshotAsync(bob, "cost-review", 390);
    }
}
