using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.Benchmarks.Running;

/// <summary>A stack event row as it first appeared in the page, and when (the browser's clock: milliseconds since 1970).</summary>
public sealed record SeenRow(string LogicalResourceId, string Status, string Reason, double SeenAt);

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven by Playwright, as the browser tests do. Watches an open
/// environment page and notes when each stack event row first appears in it.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Notes each event row the first time it is in the document. The events table scrolls after 36rem and renders only
    // the rows in view: it is let grow, in a tall window, so every row of a burst is rendered the moment it arrives.
    private const string WatchRows = """
        () => {
            const style = document.createElement('style');
            style.textContent = '.portal-events { max-height: none !important; }';
            document.head.appendChild(style);
            window.__seenRows = [];
            const seen = new WeakSet();
            const note = () => {
                const now = Date.now();
                for (const row of document.querySelectorAll('[data-testid=event]')) {
                    if (seen.has(row)) continue;
                    seen.add(row);
                    const cells = row.querySelectorAll('[role=cell]');
                    window.__seenRows.push({
                        logicalResourceId: cells[1].getAttribute('title'), status: row.getAttribute('data-status'),
                        reason: cells[3].textContent.trim(), seenAt: now });
                }
            };
            new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
            note();
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: run scripts/ensure-chromium.sh");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>Signs in as <paramref name="user"/>, opens the environment's page and starts noting event rows.</summary>
    public async Task<IPage> OpenEnvironmentAsync(Uri portal, string user, string environment)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 6000 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/signin?returnUrl=%2Fenvironments%2F{environment}");
        await page.Locator($"[data-testid=signin-{user}]").ClickAsync();
        await page.WaitForURLAsync($"**/environments/{environment}");
        // Interactive: Blazor's circuit is up (the layout marks it), so the page follows the deployment live.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.EvaluateAsync(WatchRows);
        return page;
    }

    public static async Task<IReadOnlyList<SeenRow>> SeenRowsAsync(IPage page) =>
        JsonSerializer.Deserialize<SeenRow[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__seenRows)"), JsonSerializerOptions.Web)!;

    public static async Task CloseAsync(IPage page) => await page.Context.CloseAsync();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
