using Microsoft.Playwright;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Web.Components.Shared;

namespace Portal.Tests.Hostile;

/// <summary>
/// A representative part of the hostile corpus typed into the request form and the decision panel in a real browser:
/// each value shows its error on its own field, the page's circuit survives all of them (a megabyte pasted
/// included), nothing runs, and nothing is written.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class HostileFormTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    /// <param name="Field">The input, on the request form.</param>
    /// <param name="Valid">What the field holds again afterwards, so each case is the form's only problem.</param>
    /// <param name="Error">A part of the message the field must show.</param>
    /// <param name="ShownOn">Where the error shows, when not on the field itself (a variable's row shows it on its name).</param>
    public sealed record FormCase(string What, Func<IPage, ILocator> Field, string Value, string Valid, string Error, Func<IPage, ILocator>? ShownOn = null);

    private static ILocator Input(IPage page, string id) => page.Locator($"#{id}");

    /// <summary>A field of the frontend's last variable row, by its name after the tier ("Frontend variable …").</summary>
    private static ILocator Variable(IPage page, string label) =>
        page.Locator("[data-testid=frontend-environment] .portal-row").Last.GetByLabel($"Frontend variable {label}", new() { Exact = true });

    /// <summary>A field of the backend's last secret row, by its name after the tier ("Backend secret …").</summary>
    private static ILocator Secret(IPage page, string label) =>
        page.Locator("[data-testid=backend-secrets] .portal-row").Last.GetByLabel($"Backend secret {label}", new() { Exact = true });

    private const string ValidArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf";

    public static readonly FormCase[] Cases =
    [
        new("Cyrillic homoglyph in the name", p => Input(p, "name"), "\u043erders-dev", "hostile-form", "is not a valid name"),
        new("path traversal in the name", p => Input(p, "name"), "../../etc/passwd", "hostile-form", "is not a valid name"),
        new("shell command in the name", p => Input(p, "name"), "x;rm -rf /", "hostile-form", "is not a valid name"),
        new("command substitution in the name", p => Input(p, "name"), "$(reboot)", "hostile-form", "is not a valid name"),
        new("backticks in the name", p => Input(p, "name"), "`id`", "hostile-form", "is not a valid name"),
        new("script in the name", p => Input(p, "name"), "<script>window.__xss=1</script>", "hostile-form", "is not a valid name"),
        new("a bell (BEL) in the name", p => Input(p, "name"), "orders\u0007dev", "hostile-form", "is not a valid name"),
        new("an escape (ESC) in the name", p => Input(p, "name"), "orders\u001bdev", "hostile-form", "is not a valid name"),
        new("a right-to-left override in the name", p => Input(p, "name"), "orders\u202Eved", "hostile-form", "is not a valid name"),
        new("a megabyte pasted into the name", p => Input(p, "name"), new string('a', 1_000_000), "hostile-form", "at most 28"),
        new("shell command in the tag", p => Input(p, "frontend-tag"), "1.0;rm -rf /", "1.4.2", "is not a valid image tag"),
        new("markup in the tag", p => Input(p, "frontend-tag"), "<img src=x onerror=alert(1)>", "1.4.2", "is not a valid image tag"),
        new("another registry as repository", p => Input(p, "frontend-repository"), "docker.io/library/nginx", "frontend", "only ECR is supported"),
        new("script in the health check path", p => Input(p, "frontend-health-check-path"), "/health<script>", "/health", "contains '<'"),
        new("port 0", p => Input(p, "frontend-container-port"), "0", "3000", "0 is not a valid port"),
        new("port 70000", p => Input(p, "backend-listener-port"), "70000", "80", "70000 is not a valid port"),
        new("negative port", p => Input(p, "backend-container-port"), "-1", "8080", "-1 is not a valid port"),
        new("21 tasks", p => Input(p, "frontend-desired-count"), "21", "2", "21 tasks is outside"),
        new("a port overflowing an int", p => Input(p, "frontend-container-port"), "2147483648", "3000", "\"2147483648\" is not a valid port: give a whole number from 1 to 65535"),
        new("letters as a port", p => Input(p, "backend-container-port"), "http", "8080", "\"http\" is not a valid port"),
        // The field holds at most 12 characters (InputLimits.Number): the error names what it holds.
        new("a port overflowing a long", p => Input(p, "backend-listener-port"), "99999999999999999999", "80", "\"999999999999\" is not a valid port"),
        new("tasks overflowing below zero", p => Input(p, "frontend-desired-count"), "-2147483649", "2", "\"-2147483649\" is not a number of tasks: give a whole number from 0 to 20"),
        new("1e99 tasks", p => Input(p, "frontend-desired-count"), "1e99", "2", "\"1e99\" is not a number of tasks"),
        new("a space in a variable name", p => Variable(p, "name"), "LOG LEVEL", "LOG_LEVEL", "is not a valid variable name"),
        new("BACKEND_URL as a variable", p => Variable(p, "name"), "BACKEND_URL", "LOG_LEVEL", "set by the portal"),
        new("a megabyte pasted into a variable's value", p => Variable(p, "value"), new string('v', 1_000_000), "info", "at most 4,096", p => Variable(p, "name")),
        new("an S3 ARN as a secret", p => Secret(p, "ARN"), "arn:aws:s3:::orders-bucket", ValidArn, "not Secrets Manager"),
        new("a secret ARN in the wrong partition", p => Secret(p, "ARN"), "arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", ValidArn, "partition"),
        new("a JSON key with ':'", p => Secret(p, "JSON key (optional)"), "pass:word", "", "cannot be part of a secret reference"),
    ];

    [Fact]
    public async Task EachHostileValueShowsItsFieldErrorAndTheFormKeepsWorking()
    {
        var before = await WrittenRows.CountAsync(host);
        var page = await chromium.SignInAsync(host, "alice");
        var trap = ScriptTrap.On(page);
        await Chromium.GoToAsync(page, "/request");
        await FillValidRequestAsync(page);

        await EachShowsItsErrorAsync(page, trap, Cases);

        // A hostile name is refused on submit too, with nothing saved.
        await Input(page, "name").FillAsync("<img src=x onerror=alert(1)>");
        await page.Locator("[data-testid=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=refusal]")).ToContainTextAsync("Fix the problem marked above first.");
        await trap.AssertCircuitAliveAsync();
        await trap.AssertNothingRanAsync();
        Assert.Equal(before, await WrittenRows.CountAsync(host));
    }

    /// <summary>
    /// Every text field of the form (all but the target, which is chosen from a list), with every text CloudFormation
    /// or CDK would not pass on as typed: the field shows the server's message and still holds what was typed.
    /// </summary>
    public static IEnumerable<FormCase> TemplateSyntaxCases()
    {
        var fields = new (string What, Func<IPage, ILocator> Field, Func<string, string> Typed, string Valid, Func<IPage, ILocator>? ShownOn)[]
        {
            ("the name", p => Input(p, "name"), t => t, "hostile-form", null),
            ("the repository", p => Input(p, "frontend-repository"), t => t, "frontend", null),
            ("the tag", p => Input(p, "frontend-tag"), t => t, "1.4.2", null),
            ("the health check path", p => Input(p, "frontend-health-check-path"), t => "/" + t, "/health", null),
            ("a variable's name", p => Variable(p, "name"), t => t, "LOG_LEVEL", null),
            ("a variable's value", p => Variable(p, "value"), t => t, "info", p => Variable(p, "name")),
            ("a secret's variable name", p => Secret(p, "variable name"), t => t, "DB_PASSWORD", null),
            ("a secret's ARN", p => Secret(p, "ARN"), t => "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + t, ValidArn, null),
            ("a secret's JSON key", p => Secret(p, "JSON key (optional)"), t => t, "", null),
            ("a secret's version stage", p => Secret(p, "version stage (optional)"), t => t, "", null),
            ("a secret's version id", p => Secret(p, "version id (optional)"), t => t, "", null),
        };
        return from field in fields
               from syntax in HostileCorpus.TemplateSyntaxStrings
                   // The name field holds 29 characters; each kind of text has a shorter example.
               where field.What != "the name" || syntax.Value.Text.Length <= InputLimits.Name
               select new FormCase($"{syntax.Key} in {field.What}", field.Field, field.Typed(syntax.Value.Text), field.Valid,
                   syntax.Value.Message, field.ShownOn);
    }

    [Fact]
    public async Task TextThatIsNoLiteralShowsItsErrorOnItsFieldAndStaysAsTyped()
    {
        var before = await WrittenRows.CountAsync(host);
        var page = await chromium.SignInAsync(host, "alice");
        var trap = ScriptTrap.On(page);
        await Chromium.GoToAsync(page, "/request");
        await FillValidRequestAsync(page);

        await EachShowsItsErrorAsync(page, trap, TemplateSyntaxCases(), keepsWhatWasTyped: true);

        // Refused on submit too, with nothing saved.
        await Variable(page, "value").FillAsync(HostileCorpus.TemplateSyntaxStrings["a dynamic reference to a secret"].Text);
        await page.Locator("[data-testid=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=refusal]")).ToContainTextAsync("Fix the problem marked above first.");
        await trap.AssertNothingRanAsync();
        Assert.Equal(before, await WrittenRows.CountAsync(host));
    }

    [Fact]
    public async Task AHostileCommentShowsItsErrorOnTheCommentAndDecidesNothing()
    {
        var name = await host.RequestedByAliceAsync("hostile-comment");
        var before = await WrittenRows.CountAsync(host);
        var page = await chromium.SignInAsync(host, "bob");
        var trap = ScriptTrap.On(page);
        await Chromium.GoToAsync(page, "/approvals");
        await page.Locator("#search").FillAsync(name);
        var request = page.Locator($"[data-testid=request-{name}-1]");
        var comment = request.Locator("textarea");
        var approve = request.Locator("[data-testid=approve]");
        var reject = request.Locator("[data-testid=reject]");

        var cases = new (string What, string Comment, ILocator Button, string Error)[]
        {
            ("a megabyte pasted", new string('c', 1_000_000), approve, "at most 2,000"),
            ("an ANSI escape", "\u001b[31mlooks fine\u001b[0m", approve, "U+001B"),
            ("a right-to-left override", "approved \u202Edesrever", reject, "U+202E"),
            ("a blank reason", "   ", reject, "a rejection needs a reason"),
        };
        foreach (var (what, text, button, error) in cases)
        {
            await Because(what, async () =>
            {
                await comment.FillAsync(text);
                await button.ClickAsync();
                await Assertions.Expect(FieldError(comment)).ToContainTextAsync(error);
                await trap.AssertCircuitAliveAsync();
            });
        }

        await trap.AssertNothingRanAsync();
        Assert.Equal(before, await WrittenRows.CountAsync(host));
        using var revision = await host.Api("alice").GetAsync($"/api/environments/{name}/revisions/1");
        Assert.Equal("AwaitingApproval", (await revision.JsonAsync()).GetProperty("status").GetString());
    }

    /// <summary>
    /// Markup typed where text is free (a variable's value through the request form, an approval comment through the
    /// decision panel) is accepted, stored, and shown as the text it is on the environment page; nothing of it runs.
    /// </summary>
    [Fact]
    public async Task MarkupTypedIntoTheFormAndTheDecisionPanelIsShownAsTextAndNeverRuns()
    {
        var name = PortalHost.UniqueName("xss-form");
        var alice = ScriptTrap.On(await chromium.SignInAsync(host, "alice"));
        await Chromium.GoToAsync(alice.Page, "/request");
        await FillValidRequestAsync(alice.Page);
        await Input(alice.Page, "name").FillAsync(name);
        await Variable(alice.Page, "value").FillAsync(StoredTextTests.Payload);
        await Assertions.Expect(alice.Page.Locator(".mud-input-error")).ToHaveCountAsync(0);
        await alice.Page.Locator("[data-testid=submit]").ClickAsync();
        await alice.Page.WaitForURLAsync($"**/environments/{name}");
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");

        var bob = ScriptTrap.On(await chromium.SignInAsync(host, "bob"));
        await Chromium.GoToAsync(bob.Page, "/approvals");
        await bob.Page.Locator("#search").FillAsync(name);
        var request = bob.Page.Locator($"[data-testid=request-{name}-1]");
        await Assertions.Expect(request.Locator("[data-testid=spec-diff]")).ToContainTextAsync(StoredTextTests.Payload);
        await StoredTextTests.AssertShownLiterallyAsync(bob);
        await request.Locator("textarea").FillAsync(StoredTextTests.Payload);
        await request.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(request).ToHaveCountAsync(0);
        await bob.AssertNothingRanAsync();

        await Chromium.GoToAsync(alice.Page, $"/environments/{name}");
        await Assertions.Expect(alice.Page.Locator("[data-testid=revision-1]")).ToContainTextAsync($"“{StoredTextTests.Payload}”");
        await alice.Page.GetByText("Spec", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(alice.Page.Locator(".portal-spec")).ToContainTextAsync(StoredTextTests.Payload);
        await StoredTextTests.AssertShownLiterallyAsync(alice);
    }

    /// <summary>Everything valid, with one variable and one secret row for the cases to spoil.</summary>
    private static async Task FillValidRequestAsync(IPage page)
    {
        await Input(page, "name").FillAsync("hostile-form");
        await Input(page, "frontend-repository").FillAsync("frontend");
        await Input(page, "frontend-tag").FillAsync("1.4.2");
        await Input(page, "backend-repository").FillAsync("backend");
        await Input(page, "backend-tag").FillAsync("2.0.1");
        await page.Locator("[data-testid=frontend-environment]").GetByRole(AriaRole.Button, new() { Name = "Add variable" }).ClickAsync();
        await Variable(page, "name").FillAsync("LOG_LEVEL");
        await Variable(page, "value").FillAsync("info");
        await page.Locator("[data-testid=backend-secrets]").GetByRole(AriaRole.Button, new() { Name = "Add secret" }).ClickAsync();
        await Secret(page, "variable name").FillAsync("DB_PASSWORD");
        await Secret(page, "ARN").FillAsync(ValidArn);
        await Assertions.Expect(page.Locator(".mud-input-error")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Types each case's value: its error shows where it should; then the valid value again, and the error goes (the
    /// server answered, so the circuit carried both).
    /// </summary>
    private static async Task EachShowsItsErrorAsync(IPage page, ScriptTrap trap, IEnumerable<FormCase> cases, bool keepsWhatWasTyped = false)
    {
        foreach (var hostile in cases)
        {
            await Because(hostile.What, async () =>
            {
                var field = hostile.Field(page);
                var error = FieldError((hostile.ShownOn ?? hostile.Field)(page));
                await field.FillAsync(hostile.Value);
                await Assertions.Expect(error).ToContainTextAsync(hostile.Error);
                if (keepsWhatWasTyped) await Assertions.Expect(field).ToHaveValueAsync(hostile.Value);
                await field.FillAsync(hostile.Valid);
                await Assertions.Expect(error).ToHaveCountAsync(0);
                await trap.AssertCircuitAliveAsync();
            });
        }
    }

    /// <summary>The error MudBlazor shows under <paramref name="input"/>.</summary>
    private static ILocator FieldError(ILocator input) =>
        input.Locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' mud-input-control ')][1]").Locator(".mud-input-helper-text.mud-input-error");

    private static async Task Because(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {e.Message}");
        }
    }
}
