using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>scripts/ensure-chromium.sh</c> installs it) driven by Playwright; Playwright's own browser
/// downloads are never used. One browser for a test class; each user gets their own context (cookies).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly string[] _switches;
    private IPlaywright? _playwright;

    public Chromium() : this(Array.Empty<string>()) { }

    /// <summary>A browser started with more command-line <paramref name="switches"/>, e.g. <c>--host-resolver-rules</c>.</summary>
    internal Chromium(params string[] switches) => _switches = switches;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>How long a page may take to show a plan, deploy or destroy ending: its jobs share the test machine.</summary>
    public static LocatorAssertionsToHaveAttributeOptions UntilDone { get; } = new() { Timeout = 90_000 };

    /// <summary>Screenshots land beside the test binaries, in <c>screenshots/</c>.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run scripts/ensure-chromium.sh (scripts/test.sh does).");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        // Expectations wait for their condition up to this long: room for a loaded two-core CI machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", .. _switches,
            ],
        });
    }

    /// <summary>A signed-in browser session for <paramref name="user"/>, 1280 px wide unless said otherwise.</summary>
    public Task<IPage> SignInAsync(PortalHost host, string user, int width = 1280) => SignInAsync(host.BaseAddress, user, width);

    /// <summary>A signed-in browser session for <paramref name="user"/> on the portal at <paramref name="baseAddress"/>
    /// (a process of its own); page actions wait up to <paramref name="timeout"/> ms; the system prefers
    /// <paramref name="colorScheme"/>.</summary>
    public async Task<IPage> SignInAsync(Uri baseAddress, string user, int width = 1280, float timeout = 20_000,
        ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await SignInPageAsync(baseAddress, width, timeout, colorScheme);
        // Waiting starts before the click, for the navigation to commit. Started after it, a navigation already done
        // makes Playwright wait for a load state instead, which twice was not reported within 20 s under load
        // (once for "load" with the network idle, once for "commit"). The interactive marker is what a click needs.
        var signedIn = page.WaitForURLAsync("**/environments", new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator($"[data-testid=signin-{user}]").ClickAsync();
        await signedIn;
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// A new browser session (its own cookies) on the sign-in page, <paramref name="width"/> px wide, in the colours the
    /// system prefers (<paramref name="colorScheme"/>; light unless said).
    /// </summary>
    public async Task<IPage> SignInPageAsync(Uri baseAddress, int width = 1280, float timeout = 20_000, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(timeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin?returnUrl=%2Fenvironments");
        return page;
    }

    /// <summary>Navigates within the portal and waits until the page answers clicks and typing.</summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Prerendered markup ignores input until Blazor's circuit is up: wait for <c>window.Blazor</c> and for the layout's
    /// marker that it renders interactively.
    /// </summary>
    public static async Task WaitForInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.Locator("[data-interactive=true]").WaitForAsync();
    }

    /// <summary>
    /// The whole page at <paramref name="width"/> px, saved as <c>screenshots/&lt;name&gt;-&lt;width&gt;.png</c>. The window
    /// is made as tall as the page, so the fixed app bar and drawer sit where a reader sees them. Fails when the page
    /// is wider than the window: every page must work without scrolling sideways (a wide part scrolls inside itself);
    /// and when axe-core finds an accessibility violation in it (<see cref="Accessibility"/>).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, int width)
    {
        await page.SetViewportSizeAsync(width, 900);
        await page.WaitForFunctionAsync($"() => window.innerWidth === {width}");
        await NextPaintAsync(page);
        var overflow = await page.EvaluateAsync<string?>(OverflowScript);
        Assert.True(overflow is null, $"{name} at {width} px is wider than the window: {overflow}");
        // Every state a screenshot records is audited at its width: the screenshots are the states the tests visit.
        await Accessibility.AssertAccessibleAsync(page, $"{name} at {width} px");
        if (width == OtherSchemeAuditWidth)
            await AssertAccessibleInTheOtherSchemeAsync(page, name);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(width, height);
        await NextPaintAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}-{width}.png") });
        await page.SetViewportSizeAsync(width, 900);
    }

    /// <summary>
    /// The width at which a screenshot state is audited in the other colour scheme too: the palettes' colour pairs are
    /// the same at every width, and a second audit at each width would add a minute to the browser lane.
    /// </summary>
    private const int OtherSchemeAuditWidth = 1280;

    /// <summary>
    /// When the page's theme follows the system (the default for everyone), the same state with the system preferring
    /// the other scheme: the layout switches palettes in place, is audited, and switches back.
    /// </summary>
    private static async Task AssertAccessibleInTheOtherSchemeAsync(IPage page, string name)
    {
        if (await page.Locator("[data-testid=theme-toggle][data-theme=System]").CountAsync() == 0)
            return;
        var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
        await SwitchSchemeAsync(page, !dark);
        await Accessibility.AssertAccessibleAsync(page, $"{name} at {OtherSchemeAuditWidth} px in the {(dark ? "light" : "dark")} theme",
            Accessibility.ColourRules);
        await SwitchSchemeAsync(page, dark);
    }

    private static async Task SwitchSchemeAsync(IPage page, bool dark)
    {
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light });
        await page.Locator($"[data-dark={(dark ? "true" : "false")}]").WaitForAsync();
        await NextPaintAsync(page);
    }

    /// <summary>
    /// Null when the page fits the window's width; otherwise its width and the outermost elements that stick out on
    /// the right, which is where a fix starts.
    /// </summary>
    private const string OverflowScript = """
        () => {
            const root = document.documentElement;
            if (root.scrollWidth <= window.innerWidth) return null;
            const out = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 0.5)
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}` +
                          `[${e.dataset.testid ?? ''}] right=${Math.round(e.getBoundingClientRect().right)}`);
            return `scrollWidth ${root.scrollWidth} > innerWidth ${window.innerWidth}; sticking out: ${out.join('; ')}`;
        }
        """;

    /// <summary>Running transitions (the drawer sliding) have finished and the browser has painted the result.</summary>
    private static Task NextPaintAsync(IPage page) => page.EvaluateAsync("""
        async () => {
            await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
            await Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})));
            await new Promise(done => requestAnimationFrame(done));
        }
        """);

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
