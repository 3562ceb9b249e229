using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Web;

namespace Portal.Tests.Browser;

/// <summary>
/// The deploy story in a real browser: an approver reviews the plan, the requester's already-open environment page
/// follows the deploy live to the public URL, a bad image rolls an update back with the root cause on top, and a
/// destroy ends it. Screenshots at 1280 and 390 px of each stage go to the test output's <c>screenshots/</c>.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class DeployStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AliceWatchesHerEnvironmentDeployLiveFailOnABadImageAndGetDestroyed()
    {
        // Slow enough to see a deploy mid-way (a create takes about ten seconds); set before any plan, since the
        // sandbox judges a change set's readiness at the pace of the moment.
        using var pace = SandboxPace.Set(host, 0.03);
        var name = await host.RequestedByAliceAsync("story");

        // alice opens her environment and keeps the page open for the whole story; a reload would lose this mark.
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, $"/environments/{name}");
        await alice.EvaluateAsync("() => window.storyMark = 'not reloaded'");
        var first = alice.Locator("[data-testid=revision-1]");
        await Assertions.Expect(first.Locator("[data-testid=plan-summary]")).ToContainTextAsync("Creates the stack");
        await Assertions.Expect(first.Locator("[data-testid=guardrail]")).ToHaveAttributeAsync("data-passed", "true");

        // bob reviews it in his queue: every resource to add, the guardrail passed, the spec; and approves.
        var bob = await chromium.SignInAsync(host, "bob");
        var request = await FindInQueueAsync(bob, name, 1);
        await Assertions.Expect(request.Locator("[data-testid=change][data-action=Add]").First).ToBeVisibleAsync();
        Assert.True(await request.Locator("[data-testid=change]").CountAsync() > 40);
        await Assertions.Expect(request.Locator("[data-testid=guardrail]")).ToContainTextAsync("passed");
        await Assertions.Expect(request.Locator("[data-testid=spec-diff]")).ToContainTextAsync("frontend.image.tag");
        await ScreenshotsAsync(bob, "deploy-review");
        await request.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(request).ToHaveCountAsync(0);

        // alice's page follows the deploy as it happens, without a reload.
        var deployment = alice.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "1");
        await Assertions.Expect(alice.Locator("[data-testid=event]").First).ToBeVisibleAsync();
        await alice.WaitForFunctionAsync(
            "() => { const p = document.querySelector('[data-testid=progress]'); return p && +p.dataset.settled > 0; }",
            null, new() { Timeout = 60_000 });
        await Assertions.Expect(deployment.Locator("[data-testid=group-Network]")).ToBeVisibleAsync();
        await ScreenshotsAsync(alice, "deploy-live");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", Chromium.UntilDone);
        var progress = deployment.Locator("[data-testid=progress]");
        Assert.Equal(await progress.GetAttributeAsync("data-total"), await progress.GetAttributeAsync("data-settled"));
        await Assertions.Expect(deployment.Locator("[data-testid=stack-status]")).ToHaveTextAsync("CREATE_COMPLETE");
        var url = deployment.Locator("[data-testid=public-url]");
        await Assertions.Expect(url).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^http://.+"));
        await Assertions.Expect(deployment.Locator("[data-testid=outputs]")).ToContainTextAsync("BackendUrl");
        await ScreenshotsAsync(alice, "deploy-deployed");

        // alice ships an image that cannot start; the change set shows only the frontend's task and service.
        await Chromium.GoToAsync(alice, $"/environments/{name}/edit");
        await alice.Locator("#frontend-tag").FillAsync("fail-2.0.0");
        await alice.Locator("[data-testid=submit]").ClickAsync();
        await alice.WaitForURLAsync($"**/environments/{name}");
        await alice.EvaluateAsync("() => window.storyMark = 'not reloaded'");
        await Assertions.Expect(alice.Locator("[data-testid=revision-2] [data-testid=status]"))
            .ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 });

        request = await FindInQueueAsync(bob, name, 2);
        var changes = request.Locator("[data-testid=change]");
        await Assertions.Expect(changes).ToHaveCountAsync(2);
        var replaced = request.Locator("[data-testid=change][data-replacement=true]");
        await Assertions.Expect(replaced).ToHaveAttributeAsync("data-logical-id", new System.Text.RegularExpressions.Regex("^FrontendTask"));
        await Assertions.Expect(replaced.Locator("[data-testid=replacement]")).ToContainTextAsync("ContainerDefinitions");
        await ScreenshotsAsync(bob, "deploy-update-review");
        await request.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(request).ToHaveCountAsync(0);

        // The circuit breaker trips, CloudFormation rolls back, and the page says why at the top: ECS's cause, then CloudFormation's.
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "2");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Failed", Chromium.UntilDone);
        await Assertions.Expect(deployment.Locator("[data-testid=stack-status]")).ToHaveTextAsync("UPDATE_ROLLBACK_COMPLETE");
        await Assertions.Expect(alice.Locator("[data-testid=event][data-status=UPDATE_ROLLBACK_IN_PROGRESS]")).ToBeVisibleAsync();
        var banner = deployment.Locator("[data-testid=failure-banner]");
        await Assertions.Expect(banner).ToContainTextAsync("rolled it back");
        await Assertions.Expect(banner.Locator("[data-testid=diagnosed-cause]")).ToContainTextAsync("Cause: frontend: container exited with code 1");
        await Assertions.Expect(banner).ToContainTextAsync("CloudFormation (Frontend): FrontendService");
        await Assertions.Expect(banner).ToContainTextAsync("Circuit Breaker was triggered");
        await Assertions.Expect(alice.Locator("[data-testid=event][data-status=UPDATE_FAILED]").First).ToBeVisibleAsync();
        await ScreenshotsAsync(alice, "deploy-failed");

        // alice destroys it, typing the name to confirm; once bob approves the stack is deleted.
        await alice.Locator("[data-testid=destroy]").ClickAsync();
        await alice.Locator("#destroy-confirmation").FillAsync(name);
        await alice.Locator("[data-testid=confirm-destroy]").ClickAsync();
        await Assertions.Expect(alice.Locator("[data-testid=revision-3] [data-testid=status]"))
            .ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 });
        request = await FindInQueueAsync(bob, name, 3);
        await Assertions.Expect(request.Locator("[data-testid=plan-summary]")).ToContainTextAsync("Deletes the stack");
        await request.Locator("[data-testid=approve]").ClickAsync();

        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-revision", "3");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Deployed", Chromium.UntilDone);
        await Assertions.Expect(deployment.Locator("[data-testid=destroyed-banner]")).ToBeVisibleAsync();
        await Assertions.Expect(alice.Locator("[data-testid=environment-status] [data-testid=status]")).ToHaveAttributeAsync("data-status", "Destroyed");
        Assert.Equal("not reloaded", await alice.EvaluateAsync<string>("() => window.storyMark"));
        await ScreenshotsAsync(alice, "deploy-destroyed");
    }

    /// <summary>bob's queue narrowed to one revision (other tests share the portal).</summary>
    private static async Task<ILocator> FindInQueueAsync(IPage bob, string name, int number)
    {
        await Chromium.GoToAsync(bob, "/approvals");
        await bob.Locator("#search").FillAsync(name);
        var request = bob.Locator($"[data-testid=request-{name}-{number}]");
        await Assertions.Expect(request).ToBeVisibleAsync();
        return request;
    }

    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        await Chromium.ScreenshotAsync(page, name, 1280);
        await Chromium.ScreenshotAsync(page, name, 390);
    }
}
