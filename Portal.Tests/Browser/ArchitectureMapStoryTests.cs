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
/// deploy is the same after a reload; after an update, the create's deploy still opens on its own page with its map and
/// events. Screenshots <c>map-live</c>, <c>map-filtered</c>, <c>map-deployed</c> and <c>map-past-deploy</c> (also at 390 px).
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class ArchitectureMapStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
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
        await Chromium.ScreenshotAsync(alice, "map-live", 390);

        var deployment = alice.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", Chromium.UntilDone);
        // Once deployed, the services read as their health says (the health panel's reading); the rest as complete.
        foreach (var node in expected.Nodes)
        {
            await Assertions.Expect(map.Locator($"[data-testid=map-node][data-node='{node.Id}']"))
                .ToHaveAttributeAsync("data-status", node.Resources.Count == 0 ? "Outside"
                    : node.Kind is ArchitectureNodeKind.FrontendService or ArchitectureNodeKind.BackendService ? "Healthy" : "Complete");
        }

        // Choosing the public ALB shows only its resources' events; "Show all" shows all again.
        await deployment.Locator("[data-testid=toggle-details]").ClickAsync();
        var resources = expected.Node("public-alb")!.Resources;
        await map.Locator("[data-testid=map-node][data-node=public-alb]").ClickAsync();
        await Assertions.Expect(map).ToHaveAttributeAsync("data-selected", "public-alb");
        await Assertions.Expect(alice.Locator("[data-testid=event-filter]")).ToContainTextAsync("Public ALB");
        await EventsShowOnlyAsync(alice, resources);
        await Chromium.ScreenshotAsync(alice, "map-filtered", 1280);
        await Chromium.ScreenshotAsync(alice, "map-filtered", 390);

        await alice.Locator("[data-testid=clear-event-filter]").ClickAsync();
        await Assertions.Expect(map).Not.ToHaveAttributeAsync("data-selected", "public-alb");
        await Assertions.Expect(alice.Locator("[data-testid=event-filter]")).ToHaveCountAsync(0);
        await alice.WaitForFunctionAsync(
            "ids => [...document.querySelectorAll('[data-testid=event]')].some(r => !ids.includes(r.dataset.logicalId))",
            resources.ToArray(), new() { Timeout = 10_000 });

        // A finished deploy draws the same from what was stored.
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        await Assertions.Expect(map.Locator("[data-testid=map-node][data-node=backend]")).ToHaveAttributeAsync("data-status", "Healthy");
        await Chromium.ScreenshotAsync(alice, "map-deployed", 1280);
        await Chromium.ScreenshotAsync(alice, "map-deployed", 390);
    }

    [Fact]
    public async Task AfterAnUpdateTheCreatesMapAndEventsCanStillBeOpened()
    {
        var name = await host.DeployedForAliceAsync("pastmap");
        using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, tag: "1.5.0")));
        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/2/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await host.RevisionReachesAsync(name, 2, "Deployed");

        // The environment page shows the update; the create's card links to its deploy.
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        await Assertions.Expect(alice.Locator("[data-testid=deployment]")).ToHaveAttributeAsync("data-revision", "2");
        await alice.Locator("[data-testid=revision-1] [data-testid=view-deploy]").ClickAsync();
        await alice.WaitForURLAsync($"**/environments/{name}/revisions/1");

        // The create as it happened: every part complete (the update changed only the frontend), its events and no other.
        var deployment = alice.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "1");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed");
        await Assertions.Expect(deployment.Locator("[data-testid=stack-status]")).ToHaveTextAsync("CREATE_COMPLETE");
        await Assertions.Expect(alice.Locator("[data-testid=later-deploy]")).ToContainTextAsync("revision 2");
        var map = alice.Locator("[data-testid=architecture-map]");
        var expected = ArchitectureMap.FromTemplate(await StoredTemplateAsync(name, 1));
        await Assertions.Expect(map.Locator("[data-testid=map-node]")).ToHaveCountAsync(expected.Nodes.Count);
        // A past deploy's map shows that deploy, not today's health.
        foreach (var node in expected.Nodes)
        {
            await Assertions.Expect(map.Locator($"[data-testid=map-node][data-node='{node.Id}']"))
                .ToHaveAttributeAsync("data-status", node.Resources.Count == 0 ? "Outside" : "Complete");
        }
        // Open without a click, newest first: the create's last event is the stack's own CREATE_COMPLETE.
        await Assertions.Expect(alice.Locator("[data-testid=event]").First).ToHaveAttributeAsync("data-status", "CREATE_COMPLETE");
        Assert.DoesNotContain(await alice.Locator("[data-testid=event]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"),
            status => status.StartsWith("UPDATE_", StringComparison.Ordinal));
        // Its outputs are the deployed revision's (2), so they are not shown as this one's.
        await Assertions.Expect(deployment.Locator("[data-testid=outputs]")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Locator("[data-testid=outputs-not-kept]")).ToContainTextAsync("#2");
        // Each fails if the page scrolls sideways: on a phone the map scrolls inside its own frame.
        await Chromium.ScreenshotAsync(alice, "map-past-deploy", 1280);
        await Chromium.ScreenshotAsync(alice, "map-past-deploy", 390);

        // Choosing a part filters the create's events to it, as on the environment page.
        await map.Locator("[data-testid=map-node][data-node=public-alb]").ClickAsync();
        await Assertions.Expect(alice.Locator("[data-testid=event-filter]")).ToContainTextAsync("Public ALB");
        await EventsShowOnlyAsync(alice, expected.Node("public-alb")!.Resources);

        // The update's own page has its outputs and its events, the frontend's replacement among them.
        await Chromium.GoToAsync(alice, $"/environments/{name}/revisions/2");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "2");
        await Assertions.Expect(deployment.Locator("[data-testid=stack-status]")).ToHaveTextAsync("UPDATE_COMPLETE");
        await Assertions.Expect(deployment.Locator("[data-testid=outputs]")).ToContainTextAsync("PublicUrl");

        await Chromium.GoToAsync(alice, $"/environments/{name}/revisions/9");
        await Assertions.Expect(alice.Locator("[data-testid=not-found]")).ToContainTextAsync("has no revision 9");
    }

    /// <summary>
    /// The event list is virtualized and renders its rows after it measured them: wait until every row shown names one of
    /// <paramref name="resources"/> and each of them shows (rows are compared by the resources they name, not counted).
    /// </summary>
    private static async Task EventsShowOnlyAsync(IPage page, IReadOnlyList<string> resources)
    {
        await page.WaitForFunctionAsync("""
            ids => {
                const shown = [...document.querySelectorAll('[data-testid=event]')].map(r => r.dataset.logicalId);
                return shown.length > 0 && shown.every(id => ids.includes(id)) && new Set(shown).size === ids.length;
            }
            """, resources.ToArray(), new() { Timeout = 10_000 });
        var shown = await page.Locator("[data-testid=event]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.logicalId)");
        Assert.Equal(resources.Order(), shown.Distinct().Order());
    }

    /// <summary>The template the plan job stored with a revision.</summary>
    private async Task<string> StoredTemplateAsync(string name, int number = 1)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        var template = await db.Revisions.Where(r => r.Environment.Name == name && r.Number == number).Select(r => r.TemplateJson).SingleAsync();
        Assert.NotNull(template);
        return template;
    }
}
