using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Infra.Architecture;
using Portal.Jobs.Data;
using Portal.Tests.Api;
using Portal.Tests.Web;

namespace Portal.Tests.Browser;

/// <summary>
/// The architecture map in a real browser: it appears with the deployment, its parts turn from in progress to complete
/// as the sandbox deploys, choosing a part narrows the stack events to its resources, and the map of a finished
/// deploy is the same after a reload. Screenshots <c>map-live</c>, <c>map-filtered</c> and <c>map-deployed</c> (also at 390 px).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ArchitectureMapStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions UntilDone = new() { Timeout = 90_000 };

    [Fact]
    public async Task TheMapTurnsCompleteAsTheStackDeploysAndChoosingAPartFiltersTheEvents()
    {
        using var pace = SandboxPace.Set(host, 0.03);
        var name = await host.RequestedByAliceAsync("map");
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");

        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        // The map appears with the deployment and follows it live.
        var map = alice.Locator("[data-testid=architecture-map]");
        await Assertions.Expect(map).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var expected = ArchitectureMap.FromTemplate(await StoredTemplateAsync(name));
        await Assertions.Expect(map.Locator("[data-testid=map-node]")).ToHaveCountAsync(expected.Nodes.Count);
        await Assertions.Expect(map.Locator("[data-testid=map-node][data-status=InProgress]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Chromium.ScreenshotAsync(alice, "map-live", 1280);

        var deployment = alice.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", UntilDone);
        foreach (var node in expected.Nodes)
        {
            await Assertions.Expect(map.Locator($"[data-testid=map-node][data-node='{node.Id}']"))
                .ToHaveAttributeAsync("data-status", node.Resources.Count == 0 ? "Outside" : "Complete");
        }

        // Choosing the public ALB shows only its resources' events; "Show all" shows all again.
        await deployment.Locator("[data-testid=toggle-details]").ClickAsync();
        // The event list is virtualized: rows are compared by the resources they name, not counted.
        var events = alice.Locator("[data-testid=event]");
        var resources = expected.Node("public-alb")!.Resources;
        await map.Locator("[data-testid=map-node][data-node=public-alb]").ClickAsync();
        await Assertions.Expect(map).ToHaveAttributeAsync("data-selected", "public-alb");
        await Assertions.Expect(alice.Locator("[data-testid=event-filter]")).ToContainTextAsync("Public ALB");
        // The list renders its rows after it measured them: wait until every row is the ALB's and each resource shows.
        await alice.WaitForFunctionAsync("""
            ids => {
                const shown = [...document.querySelectorAll('[data-testid=event]')].map(r => r.dataset.logicalId);
                return shown.length > 0 && shown.every(id => ids.includes(id)) && new Set(shown).size === ids.length;
            }
            """, resources.ToArray(), new() { Timeout = 10_000 });
        var shown = await events.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.logicalId)");
        Assert.Equal(resources.Order(), shown.Distinct().Order());
        await Chromium.ScreenshotAsync(alice, "map-filtered", 1280);

        await alice.Locator("[data-testid=clear-event-filter]").ClickAsync();
        await Assertions.Expect(map).Not.ToHaveAttributeAsync("data-selected", "public-alb");
        await Assertions.Expect(alice.Locator("[data-testid=event-filter]")).ToHaveCountAsync(0);
        await alice.WaitForFunctionAsync(
            "ids => [...document.querySelectorAll('[data-testid=event]')].some(r => !ids.includes(r.dataset.logicalId))",
            resources.ToArray(), new() { Timeout = 10_000 });

        // A finished deploy draws the same from what was stored.
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        await Assertions.Expect(map.Locator("[data-testid=map-node][data-node=backend]")).ToHaveAttributeAsync("data-status", "Complete");
        await Chromium.ScreenshotAsync(alice, "map-deployed", 1280);
        await Chromium.ScreenshotAsync(alice, "map-deployed", 390);
    }

    /// <summary>The template the plan job stored with revision 1.</summary>
    private async Task<string> StoredTemplateAsync(string name)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        var template = await db.Revisions.Where(r => r.Environment.Name == name && r.Number == 1).Select(r => r.TemplateJson).SingleAsync();
        Assert.NotNull(template);
        return template;
    }
}
