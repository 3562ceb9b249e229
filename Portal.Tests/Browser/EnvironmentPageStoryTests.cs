using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Web;

namespace Portal.Tests.Browser;

/// <summary>
/// What people do on an environment's page in a real browser: cancel a deploying update and watch the rollback, open
/// the page mid-deploy and still see every event, reject with a comment, read the audit trail, and confirm a destroy
/// only with the right name. Also the sign-in page at 1280 and 390 px.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed partial class EnvironmentPageStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AliceCancelsADeployingUpdateFromThePageAndSeesTheRollback()
    {
        var name = await host.DeployedForAliceAsync("pagecancel");
        var alice = await chromium.SignInAsync(host, "alice");
        var deployment = alice.Locator("[data-testid=deployment]");

        // The update's service takes about half a minute at this pace: time to press Cancel while CloudFormation works.
        // Set before the plan, because the sandbox judges a change set's readiness at the pace of the moment.
        using (SandboxPace.Set(host, 0.5))
        {
            using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0")));
            Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
            await Chromium.GoToAsync(alice, $"/environments/{name}");
            using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/2/approve", ApiClient.Comment(null));
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

            // CloudFormation cancels only an update in progress: wait until the page shows one.
            await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "2", Chromium.UntilDone);
            await Assertions.Expect(alice.Locator("[data-testid=event][data-status=UPDATE_IN_PROGRESS]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await alice.Locator("[data-testid=cancel-deployment]").ClickAsync();
            await Assertions.Expect(alice.GetByText($"Cancel requested: CloudFormation rolls revision 2 back.")).ToBeVisibleAsync();
        }

        // The rollback follows on the same page, without a reload, and the revision ends Failed with the cause on top.
        var rollback = alice.Locator("[data-testid=event][data-status=UPDATE_ROLLBACK_IN_PROGRESS]");
        await Assertions.Expect(rollback).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(rollback).ToContainTextAsync("Stack update cancelled");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Failed", Chromium.UntilDone);
        await Assertions.Expect(deployment.Locator("[data-testid=stack-status]")).ToHaveTextAsync("UPDATE_ROLLBACK_COMPLETE");
        await Assertions.Expect(alice.Locator("[data-testid=event][data-status=UPDATE_ROLLBACK_COMPLETE]")).ToBeVisibleAsync();
        await Assertions.Expect(deployment.Locator("[data-testid=failure-banner]")).ToContainTextAsync("Revision 2 failed: CloudFormation rolled it back");
        await Assertions.Expect(deployment.Locator("[data-testid=cancel-deployment]")).ToHaveCountAsync(0);
        var revision = alice.Locator("[data-testid=revision-2]");
        await Assertions.Expect(revision.Locator("[data-testid=status]")).ToHaveAttributeAsync("data-status", "Failed");
        await Assertions.Expect(revision.Locator("[data-testid=status-reason]")).ToContainTextAsync("UPDATE_ROLLBACK_COMPLETE");
        // Only the revision failed: the stack serves revision 1 again, so the environment is still Deployed.
        await Assertions.Expect(alice.Locator("[data-testid=environment-status] [data-testid=status]")).ToHaveAttributeAsync("data-status", "Deployed");
        await Assertions.Expect(AuditRow(alice, "Rolled back: revision 1 still deployed")).ToBeVisibleAsync();
        await Assertions.Expect(AuditRow(alice, "Cancel requested")).ToContainTextAsync("alice");
        await Chromium.ScreenshotAsync(alice, "deploy-cancelled", 1280);
        await Chromium.ScreenshotAsync(alice, "deploy-cancelled", 390);
    }

    [Fact]
    public async Task APageOpenedMidDeployShowsEveryEventSoFarThenFollowsLive()
    {
        // A create takes about half a minute at this pace; set before the plan (see above).
        using var pace = SandboxPace.Set(host, 0.1);
        var name = await host.RequestedByAliceAsync("midway");
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        // carol opens the page once the deploy is well under way.
        var storedBefore = await StoredEventsAsync(name, atLeast: 10);
        var carol = await chromium.SignInAsync(host, "carol");
        await Chromium.GoToAsync(carol, $"/environments/{name}");
        await carol.EvaluateAsync("() => window.storyMark = 'not reloaded'");
        var storedAtOpen = await StoredEventsAsync(name, atLeast: storedBefore);
        Assert.True(await EventCountAsync(carol) >= storedBefore, "the page opened mid-deploy lacks events stored before it opened");
        // The shared host's target has no stack event intake: the live panel says its events come by polling alone.
        await Assertions.Expect(carol.Locator("[data-testid=events-may-lag]")).ToContainTextAsync("Events may lag");

        var deployment = carol.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", Chromium.UntilDone);
        await Assertions.Expect(carol.Locator("[data-testid=events-may-lag]")).ToHaveCountAsync(0);
        var total = await StoredEventsAsync(name, atLeast: storedAtOpen);
        Assert.True(storedAtOpen < total, $"the deploy had finished ({total} events) before the page opened: nothing followed live");
        // Both pages hold every event once: what was stored before carol's opened, and what arrived after.
        foreach (var page in new[] { carol, alice })
        {
            await Assertions.Expect(EventsHeading(page)).ToHaveTextAsync($"Stack events ({total}), newest first");
            await Assertions.Expect(page.Locator("[data-testid=deployment] [data-testid=stack-status]")).ToHaveTextAsync("CREATE_COMPLETE");
        }
        Assert.Equal("not reloaded", await carol.EvaluateAsync<string>("() => window.storyMark"));
    }

    [Fact]
    public async Task BobRejectsOnTheEnvironmentPageWithACommentAndTheAuditTrailRecordsEachStep()
    {
        var name = await host.RequestedByAliceAsync("reject");
        var bob = await chromium.SignInAsync(host, "bob");
        await Chromium.GoToAsync(bob, $"/environments/{name}");
        var revision = bob.Locator("[data-testid=revision-1]");

        await revision.Locator("[data-testid=reject]").ClickAsync();
        await Assertions.Expect(revision.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("a rejection needs a reason");
        await revision.Locator("textarea").FillAsync("Use the shared VPC; ask the platform team.");
        await revision.Locator("[data-testid=reject]").ClickAsync();

        await Assertions.Expect(revision.Locator("[data-testid=status]")).ToHaveAttributeAsync("data-status", "Rejected");
        await Assertions.Expect(revision).ToContainTextAsync("bob rejected");
        await Assertions.Expect(revision).ToContainTextAsync("Use the shared VPC; ask the platform team.");
        await Assertions.Expect(revision.Locator("[data-testid=reject]")).ToHaveCountAsync(0);

        // Every state change, who made it and why: the request, the plan, the decision.
        await Assertions.Expect(AuditRow(bob, "Requested environment")).ToContainTextAsync("alice");
        await Assertions.Expect(AuditRow(bob, "Submitted Create revision")).ToContainTextAsync("#1");
        await Assertions.Expect(AuditRow(bob, "Revision Planning → AwaitingApproval")).ToBeVisibleAsync();
        var rejected = AuditRow(bob, "Revision AwaitingApproval → Rejected");
        await Assertions.Expect(rejected).ToContainTextAsync("bob");
        await Assertions.Expect(rejected).ToContainTextAsync("Use the shared VPC; ask the platform team.");
        await Chromium.ScreenshotAsync(bob, "environment-rejected", 1280);
        await Chromium.ScreenshotAsync(bob, "environment-rejected", 390);

        // alice sees the same on her page.
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        await Assertions.Expect(alice.Locator("[data-testid=revision-1] [data-testid=status]")).ToHaveAttributeAsync("data-status", "Rejected");
        await Assertions.Expect(AuditRow(alice, "Revision AwaitingApproval → Rejected")).ToContainTextAsync("Use the shared VPC");
    }

    [Fact]
    public async Task RequestDestroyStaysDisabledUntilTheExactNameIsTyped()
    {
        var name = await host.DeployedForAliceAsync("confirm");
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");

        await alice.Locator("[data-testid=destroy]").ClickAsync();
        var confirm = alice.Locator("[data-testid=confirm-destroy]");
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await alice.Locator("#destroy-confirmation").FillAsync(name.ToUpperInvariant());
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await alice.Locator("#destroy-confirmation").FillAsync(name[..^1]);
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await alice.Locator("#destroy-confirmation").FillAsync(name);
        await Assertions.Expect(confirm).ToBeEnabledAsync();
        await alice.Locator("#destroy-confirmation").FillAsync(name + "x");
        await Assertions.Expect(confirm).ToBeDisabledAsync();

        using var revisions = await host.Api("alice").GetAsync($"/api/environments/{name}/revisions/2");
        Assert.Equal(HttpStatusCode.NotFound, revisions.StatusCode); // nothing was requested
    }

    [Fact]
    public async Task TheSignInPageFitsBothWidths()
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin?returnUrl=%2Fenvironments");
        await Assertions.Expect(page.Locator("[data-testid=signin-alice]")).ToBeVisibleAsync();

        await Chromium.ScreenshotAsync(page, "signin", 1280);
        await Chromium.ScreenshotAsync(page, "signin", 390);
    }

    /// <summary>The audit trail's row whose "What" is <paramref name="what"/> (one per environment here).</summary>
    private static ILocator AuditRow(IPage page, string what) =>
        page.Locator("[data-testid=audit] tbody tr").Filter(new() { Has = page.Locator("td[data-label=What]", new() { HasTextString = what }) });

    /// <summary>The heading over the deployment's events: "Stack events (N), newest first".</summary>
    private static ILocator EventsHeading(IPage page) =>
        page.Locator("[data-testid=deployment]").GetByText(EventsHeadingPattern());

    private static async Task<int> EventCountAsync(IPage page)
    {
        var heading = EventsHeading(page);
        await Assertions.Expect(heading).ToBeVisibleAsync();
        return int.Parse(EventsHeadingPattern().Match(await heading.InnerTextAsync()).Groups[1].Value);
    }

    /// <summary>Waits until at least <paramref name="atLeast"/> events of the environment are stored; returns how many are.</summary>
    private async Task<int> StoredEventsAsync(string name, int atLeast)
    {
        using var api = host.Api("dana");
        return await Poll.UntilAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events")).GetArrayLength(),
            stored => stored >= atLeast,
            stored => $"{name} has {stored} stored events, not {atLeast}, after 60 s", TimeSpan.FromSeconds(60));
    }

    [GeneratedRegex(@"^Stack events \((\d+)\), newest first$")]
    private static partial Regex EventsHeadingPattern();
}
