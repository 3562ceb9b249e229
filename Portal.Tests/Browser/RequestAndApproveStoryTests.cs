using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// The request-and-approve story in a real browser against the portal on a real port: an engineer's request with a
/// mistake she corrects, an approver's queue and decision, and the rule that nobody approves their own request.
/// Screenshots of the form and the queue at 1280 and 390 px are saved under the test output's <c>screenshots/</c>.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class RequestAndApproveStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AliceRequestsWithAMistakeSheFixesBobApprovesAndAliceCannotApproveHerOwn()
    {
        var name = PortalHost.UniqueName("web");

        // alice fills the form; her name breaks the naming rule and the field says so as she types.
        var alice = await chromium.SignInAsync(host, "alice");
        await Chromium.GoToAsync(alice, "/request");
        await alice.Locator("#name").FillAsync("Orders_Web");
        var nameError = FieldError(alice, "#name");
        await Assertions.Expect(nameError).ToContainTextAsync("\"Orders_Web\" is not a valid name");
        await alice.Locator("#frontend-repository").FillAsync("frontend");
        await alice.Locator("#frontend-tag").FillAsync("1.4.2");
        await alice.Locator("#backend-repository").FillAsync("team/backend");
        await alice.Locator("#backend-tag").FillAsync("2.0.1");
        await AddVariableAsync(alice, "frontend", "LOG_LEVEL", "info");
        await AddSecretAsync(alice, "backend", "DB_PASSWORD", "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf");
        await Chromium.ScreenshotAsync(alice, "request-form-with-error", 1280);
        await Chromium.ScreenshotAsync(alice, "request-form-with-error", 390);

        await alice.Locator("#name").FillAsync(name);
        await Assertions.Expect(nameError).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(alice, "request-form", 1280);
        await Chromium.ScreenshotAsync(alice, "request-form", 390);
        await alice.Locator("[data-testid=submit]").ClickAsync();

        // The request lands on the environment's page, which says where it went: the plan, then the approvers' queue
        // (one approval on the sandbox target); approval that alice herself may not give.
        await alice.WaitForURLAsync($"**/environments/{name}");
        await Assertions.Expect(alice.Locator(".mud-snackbar")).ToContainTextAsync(
            $"Revision 1 of {name} is being planned; then it waits in the approvers' queue (1 approval needed on sandbox).");
        var revision = alice.Locator("[data-testid=revision-1]");
        await Assertions.Expect(revision.Locator("[data-testid=status]")).ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 }); // the plan job synthesizes and plans first
        await Assertions.Expect(revision.Locator("[data-testid=cannot-decide]")).ToContainTextAsync("You requested this revision");
        await Assertions.Expect(revision.Locator("[data-testid=approve]")).ToHaveCountAsync(0);
        await Chromium.GoToAsync(alice, "/approvals");
        await Assertions.Expect(alice.GetByText("Your role does not allow this page.")).ToBeVisibleAsync();

        // bob finds it in his queue, with the spec diff, and approves it.
        var bob = await chromium.SignInAsync(host, "bob");
        await Chromium.GoToAsync(bob, "/approvals");
        // Other tests share the portal: narrow the queue to this request before looking at it.
        await bob.Locator("#search").FillAsync(name);
        var request = bob.Locator($"[data-testid=request-{name}-1]");
        await Assertions.Expect(bob.Locator("[data-testid=approval-queue] > *")).ToHaveCountAsync(1);
        await Assertions.Expect(request).ToContainTextAsync("requested by alice");
        await Assertions.Expect(request.Locator("[data-testid=spec-diff]")).ToContainTextAsync("team/backend");
        await Chromium.ScreenshotAsync(bob, "approval-queue", 1280);
        await Chromium.ScreenshotAsync(bob, "approval-queue", 390);
        await request.Locator("textarea").FillAsync("Looks right for a dev environment.");
        await request.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(request).ToHaveCountAsync(0);
        await Assertions.Expect(bob.Locator("[data-testid=approval-queue] > *")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(bob, "approval-queue-none-shown", 1280);
        await Chromium.ScreenshotAsync(bob, "approval-queue-none-shown", 390);

        await Chromium.GoToAsync(alice, $"/environments/{name}");
        // Approved, and the deploy job takes it on at once (a sandbox deploy takes about a second here).
        await Assertions.Expect(revision.Locator("[data-testid=status]")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(Approved|Deploying|Deployed)$"));
        await Assertions.Expect(revision).ToContainTextAsync("Looks right for a dev environment.");
        await Chromium.ScreenshotAsync(alice, "environment", 1280);
        await Chromium.ScreenshotAsync(alice, "environment", 390);

        await Chromium.GoToAsync(alice, "/environments");
        await alice.Locator("#search").FillAsync(name);
        await Assertions.Expect(alice.Locator("[data-testid=environments] tbody tr")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(alice, "environments", 1280);
        await Chromium.ScreenshotAsync(alice, "environments", 390);

        await alice.Locator("#search").FillAsync(name + "-none");
        await Assertions.Expect(alice.Locator("[data-testid=environments]")).ToContainTextAsync($"Nothing matches \"{name}-none\".");
        await Chromium.ScreenshotAsync(alice, "environments-none-match", 1280);
        await Chromium.ScreenshotAsync(alice, "environments-none-match", 390);
    }

    [Fact]
    public async Task AChangeStartsFromTheLatestSpecAndReplacesTheOpenRevision()
    {
        var name = await Api.ApiClient.RequestedByAliceAsync(host, "edit");
        var alice = await chromium.SignInAsync(host, "alice");

        await Chromium.GoToAsync(alice, $"/environments/{name}/edit");
        await Assertions.Expect(alice.Locator("#name")).ToHaveValueAsync(name);
        await Assertions.Expect(alice.Locator("#name")).ToBeDisabledAsync();
        await Assertions.Expect(alice.Locator("#frontend-tag")).ToHaveValueAsync("1.4.2");
        await Assertions.Expect(alice.GetByText("Submitting replaces revision 1")).ToBeVisibleAsync();
        await alice.Locator("#frontend-tag").FillAsync("1.5.0");
        await Chromium.ScreenshotAsync(alice, "edit-form", 1280);
        await Chromium.ScreenshotAsync(alice, "edit-form", 390);
        await alice.Locator("[data-testid=submit]").ClickAsync();

        await alice.WaitForURLAsync($"**/environments/{name}");
        await Assertions.Expect(alice.Locator(".mud-snackbar")).ToContainTextAsync($"Revision 2 of {name} is being planned");
        await Assertions.Expect(alice.Locator("[data-testid=revision-2] [data-testid=status]")).ToHaveAttributeAsync("data-status", "AwaitingApproval", new() { Timeout = 30_000 }); // the plan job synthesizes and plans first
        await Assertions.Expect(alice.Locator("[data-testid=revision-1] [data-testid=status]")).ToHaveAttributeAsync("data-status", "Superseded");
        await Assertions.Expect(alice.Locator("[data-testid=revision-1]")).ToContainTextAsync("superseded by revision 2");
    }

    /// <summary>The error text MudBlazor shows under the input <paramref name="input"/>.</summary>
    private static ILocator FieldError(IPage page, string input) =>
        page.Locator(".mud-input-control", new PageLocatorOptions { Has = page.Locator(input) }).Locator(".mud-input-helper-text.mud-input-error");

    private static async Task AddVariableAsync(IPage page, string tier, string name, string value)
    {
        var rows = page.Locator($"[data-testid={tier}-environment]");
        await rows.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Add variable" }).ClickAsync();
        var row = rows.Locator(".portal-row").Last;
        await row.GetByLabel("Name").FillAsync(name);
        await row.GetByLabel("Value").FillAsync(value);
    }

    private static async Task AddSecretAsync(IPage page, string tier, string name, string arn)
    {
        var rows = page.Locator($"[data-testid={tier}-secrets]");
        await rows.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Add secret" }).ClickAsync();
        var row = rows.Locator(".portal-row").Last;
        await row.GetByLabel("Variable name").FillAsync(name);
        await row.GetByLabel("Secret ARN").FillAsync(arn);
    }
}
