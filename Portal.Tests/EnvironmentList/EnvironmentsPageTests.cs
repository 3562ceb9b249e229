using System.Net;
using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;

namespace Portal.Tests.EnvironmentList;

/// <summary>The environments page in a browser: the server searches, pages and sorts, and the pager says where you are.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class EnvironmentsPageTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TheTablePagesAndSortsWhatTheSearchFinds()
    {
        // Other tests share the portal: a prefix of its own, searched for, makes these twelve the whole list.
        var prefix = PortalHost.UniqueName("list");
        foreach (var i in Enumerable.Range(1, 12))
        {
            using var response = await host.SubmitAsync("alice", $"{prefix}-{i:00}");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var alice = await chromium.SignInAsync(host, "alice");
        await alice.Locator("#search").FillAsync(prefix);
        var rows = alice.Locator("[data-testid=environments] tbody tr");
        var range = alice.Locator("[data-testid=pager-range]");
        await Assertions.Expect(range).ToHaveTextAsync("1–10 of 12");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(rows.First).ToContainTextAsync($"{prefix}-01");

        await alice.GetByLabel("Next page").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("11–12 of 12");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync($"{prefix}-11");

        // Name is sorted ascending already: one click turns it round, from the first page.
        await alice.Locator("[data-testid=environments] th").GetByText("Name").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("1–10 of 12");
        await Assertions.Expect(rows.First).ToContainTextAsync($"{prefix}-12");
        await Assertions.Expect(rows.Last).ToContainTextAsync($"{prefix}-03");
    }
}
