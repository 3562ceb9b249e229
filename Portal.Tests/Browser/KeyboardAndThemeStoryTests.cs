using Microsoft.Playwright;
using Portal.Tests.Api;

namespace Portal.Tests.Browser;

/// <summary>
/// The portal with the keyboard alone, and in both themes: an engineer requests an environment, an approver approves
/// it, the deploy fails and its cause and map are opened, and the environment is destroyed, every step by Tab, Enter
/// and typing, with a visible focus indicator at every stop. The sign-in page and the pages in the dark theme pass the
/// same axe audit as every screenshot.
/// </summary>
[Collection(BrowserHostCollection.Name)]
[Trait(Lanes.Category, Lanes.Browser)]
public sealed class KeyboardAndThemeStoryTests(PortalHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AnEnvironmentIsRequestedApprovedDiagnosedAndDestroyedWithTheKeyboardAlone()
    {
        var name = PortalHost.UniqueName("keys");
        var alice = await SignInByKeyboardAsync("alice");

        // alice reaches the form from the menu and fills it in; the frontend's image is tagged to fail.
        await PressOnAsync(alice, alice.Locator("[data-testid=request-environment]"));
        await alice.WaitForURLAsync("**/request");
        await Chromium.WaitForInteractiveAsync(alice);
        await TypeIntoAsync(alice, "#name", name);
        await TypeIntoAsync(alice, "#frontend-repository", "frontend");
        await TypeIntoAsync(alice, "#frontend-tag", "fail-exit");
        await TypeIntoAsync(alice, "#backend-repository", "backend");
        await TypeIntoAsync(alice, "#backend-tag", "2.0.1");
        await PressOnAsync(alice, alice.Locator("[data-testid=submit]"));
        await alice.WaitForURLAsync($"**/environments/{name}");
        await FocusIsOnHeadingAsync(alice, name);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");

        // bob approves it from his queue.
        var bob = await SignInByKeyboardAsync("bob");
        await ApproveByKeyboardAsync(bob, name, 1);

        // alice's page follows the deploy to its failure; she opens the failed service's details and its part of the map.
        var deployment = alice.Locator("[data-testid=deployment]");
        await Assertions.Expect(deployment).ToHaveAttributeAsync("data-status", "Failed", Chromium.UntilDone);
        await Assertions.Expect(alice.Locator("[data-testid=diagnosed-cause]")).ToContainTextAsync("frontend: container exited with code 1");
        await Assertions.Expect(alice.Locator("[data-testid=deploy-announcement]")).ToContainTextAsync("frontend: container exited with code 1");
        var details = alice.Locator("[data-testid=deploy-services] [data-testid=service-details][data-component=frontend]");
        await PressOnAsync(alice, details.Locator("summary"));
        await Assertions.Expect(details).Not.ToHaveAttributeAsync("open", "");
        await alice.Keyboard.PressAsync("Enter");
        await Assertions.Expect(details.Locator("[data-testid=log-lines]")).ToBeVisibleAsync();
        await PressOnAsync(alice, alice.Locator("[data-testid=map-node][data-node=frontend]"));
        await Assertions.Expect(alice.Locator("[data-testid=architecture-map]")).ToHaveAttributeAsync("data-selected", "frontend");

        // alice destroys it, typing its name to confirm; bob approves the destroy.
        await PressOnAsync(alice, alice.Locator("[data-testid=destroy]"));
        await TypeIntoAsync(alice, "#destroy-confirmation", name);
        await PressOnAsync(alice, alice.Locator("[data-testid=confirm-destroy]"));
        await Assertions.Expect(alice.Locator("[data-testid=revision-2]")).ToBeVisibleAsync();
        await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
        await ApproveByKeyboardAsync(bob, name, 2);
        await Assertions.Expect(alice.Locator("[data-testid=environment-status] [data-testid=status]")).ToHaveAttributeAsync("data-status", "Destroyed", Chromium.UntilDone);
    }

    [Fact]
    public async Task TheSignInPageAndThePagesInTheDarkThemePassTheAuditAndTheThemeIsKeptPerPerson()
    {
        var name = await host.DeployedForAliceAsync("themes");
        foreach (var width in new[] { 1280, 390 })
        {
            // A static page (its form posts): loaded is all it needs.
            var signIn = await chromium.SignInPageAsync(host.BaseAddress, width);
            await Accessibility.AssertAccessibleAsync(signIn, $"sign-in at {width} px");
        }

        // A system that prefers dark gets the dark theme until the person chooses.
        var dark = await chromium.SignInAsync(host.BaseAddress, "carol", colorScheme: ColorScheme.Dark);
        await Assertions.Expect(dark.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme", "System");
        await WaitForBackgroundAsync(dark, darkBackground: true);
        foreach (var path in new[] { "/environments", $"/environments/{name}", "/approvals" })
        {
            await Chromium.GoToAsync(dark, path);
            await WaitForBackgroundAsync(dark, darkBackground: true);
            foreach (var width in new[] { 1280, 390 })
            {
                await dark.SetViewportSizeAsync(width, 900);
                await Accessibility.AssertAccessibleAsync(dark, $"{path} in the dark theme at {width} px");
            }
            await dark.SetViewportSizeAsync(1280, 900);
        }

        // carol chooses light (one press: system → light); the choice follows her to another browser.
        await PressOnAsync(dark, dark.Locator("[data-testid=theme-toggle]"));
        await Assertions.Expect(dark.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme", "Light");
        await WaitForBackgroundAsync(dark, darkBackground: false);
        var elsewhere = await chromium.SignInAsync(host, "carol");
        await Assertions.Expect(elsewhere.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme", "Light");
    }

    /// <summary>
    /// Signs in from the sign-in page with the keyboard; the focus then starts on the environments page's heading, and
    /// the skip link is the first stop of the page, taking the focus to the main content.
    /// </summary>
    private async Task<IPage> SignInByKeyboardAsync(string user)
    {
        var page = await chromium.SignInPageAsync(host.BaseAddress);
        await page.BringToFrontAsync(); // the window has the focus, as a person's would
        var signedIn = page.WaitForURLAsync("**/environments", new() { WaitUntil = WaitUntilState.Commit });
        await PressOnAsync(page, page.Locator($"[data-testid=signin-{user}]"));
        await signedIn;
        await Chromium.WaitForInteractiveAsync(page);
        await FocusIsOnHeadingAsync(page, "Environments");
        await ShiftTabToAsync(page, page.Locator("[data-testid=skip-link]"));
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].filter(e => e.tabIndex >= 0).indexOf(document.activeElement)"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#main-content")).ToBeFocusedAsync();
        return page;
    }

    /// <summary>Presses Shift+Tab until <paramref name="target"/> has the focus, failing after 30 presses.</summary>
    private static async Task ShiftTabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 30; presses++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
                return;
        }
        Assert.Fail($"30 presses of Shift+Tab did not reach {target}");
    }

    /// <summary>Opens the queue from the menu (or, already on it, reloads it as Ctrl+R would) and approves the revision.</summary>
    private static async Task ApproveByKeyboardAsync(IPage approver, string name, int revision)
    {
        if (approver.Url.EndsWith("/approvals", StringComparison.Ordinal))
            await approver.ReloadAsync();
        else
            await PressOnAsync(approver, approver.Locator(".mud-navmenu a[href='/approvals']"));
        await approver.WaitForURLAsync("**/approvals");
        await Chromium.WaitForInteractiveAsync(approver);
        await TypeIntoAsync(approver, "#search", name);
        var request = approver.Locator($"[data-testid=request-{name}-{revision}]");
        await PressOnAsync(approver, request.Locator("[data-testid=approve]"));
        await Assertions.Expect(request).ToHaveCountAsync(0);
    }

    /// <summary>After a navigation, focus is on the new page's heading (so a screen reader starts there).</summary>
    private static Task FocusIsOnHeadingAsync(IPage page, string heading) =>
        Assertions.Expect(page.Locator("h1", new() { HasText = heading })).ToBeFocusedAsync();

    private static async Task TypeIntoAsync(IPage page, string selector, string text)
    {
        await TabToAsync(page, page.Locator(selector));
        await page.Keyboard.TypeAsync(text);
    }

    private static async Task PressOnAsync(IPage page, ILocator target)
    {
        await TabToAsync(page, target);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>
    /// Presses Tab until <paramref name="target"/> has the focus, failing after 150 presses; at every stop the focused
    /// element must show a focus indicator.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        await target.WaitForAsync();
        for (var presses = 0; presses < 150; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var indicator = await page.EvaluateAsync<string>(FocusIndicatorScript);
            Assert.False(indicator.StartsWith("none", StringComparison.Ordinal), $"no visible focus indicator: {indicator}");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)"))
                return;
        }
        Assert.Fail($"150 presses of Tab did not reach {target}");
    }

    /// <summary>
    /// How the focused element shows its focus: an outline, the map's own dashed border, or a text field's border turned
    /// 2 px in the theme's primary colour (MudBlazor's); "none" with the element otherwise.
    /// </summary>
    private const string FocusIndicatorScript = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return 'body';
          const s = getComputedStyle(e);
          if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return 'outline';
          const shape = e.querySelector(':scope > .portal-map-shape');
          if (shape && getComputedStyle(shape).strokeDasharray !== 'none') return 'map border';
          const field = e.closest('.mud-input')?.querySelector('.mud-input-outlined-border');
          if (field && parseFloat(getComputedStyle(field).borderTopWidth) >= 2) return 'field border';
          return 'none: ' + e.outerHTML.slice(0, 160);
        }
        """;

    private static Task WaitForBackgroundAsync(IPage page, bool darkBackground) => page.WaitForFunctionAsync(
        "dark => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b < 200) === dark; }",
        darkBackground);
}
