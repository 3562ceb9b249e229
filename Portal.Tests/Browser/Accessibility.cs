using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// The WCAG 2.2 AA audit of a page as it stands: axe-core (npm, <c>scripts/ensure-axe-core.sh</c>) run inside the page,
/// failing on every critical or serious violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules and the best-practice
/// rules, and on the moderate landmark and heading ones, with the rule, the elements and the help text. axe is
/// evaluated through the DevTools protocol (Playwright's evaluate), which the page's Content-Security-Policy does not
/// govern: the production policy stays as it is, and no test context bypasses it.
/// </summary>
public static class Accessibility
{
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

    /// <summary>Moderate rules that still fail the audit: content outside landmarks, and the page's headings.</summary>
    private static readonly HashSet<string> ModerateRulesThatFail = new(StringComparer.Ordinal)
    {
        "region", "landmark-one-main", "landmark-no-duplicate-main", "landmark-main-is-top-level", "landmark-unique",
        "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level", "landmark-complementary-is-top-level",
        "page-has-heading-one", "heading-order", "empty-heading",
    };

    private static readonly SemaphoreSlim Install = new(1, 1);
    private static string? _source;

    /// <summary>The rules whose outcome a change of palette alone can change: everything else was audited already.</summary>
    public static readonly string[] ColourRules = ["color-contrast", "link-in-text-block"];

    /// <summary>
    /// Fails with every violation axe finds in <paramref name="page"/> now; <paramref name="state"/> names what is shown.
    /// With <paramref name="rules"/>, only those rules run (a second audit of the same page in the other colour scheme).
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string state, IReadOnlyList<string>? rules = null)
    {
        // Colours fade (a snackbar appearing, palettes switching): axe must measure where they end, not midway. Endless
        // animations (an indeterminate progress bar) never end and change no text colour.
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        var source = await SourceAsync();
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(source);
        var result = await page.EvaluateAsync<JsonElement>(
            "async only => { const r = await axe.run(document, { runOnly: only, resultTypes: ['violations'] }); " +
            "return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, " +
            "nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })) })); }",
            rules is null ? new { type = "tag", values = Tags } : new { type = "rule", values = rules.ToArray() });
        var failing = result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "critical" or "serious"
                        || ModerateRulesThatFail.Contains(v.GetProperty("id").GetString()!))
            .ToList();
        if (failing.Count == 0)
            return;
        var report = new StringBuilder($"{state}: {failing.Count} accessibility violations (axe-core)");
        foreach (var v in failing)
        {
            report.Append($"\n- {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} " +
                          v.GetProperty("helpUrl").GetString());
            foreach (var node in v.GetProperty("nodes").EnumerateArray())
                report.Append($"\n    {node.GetProperty("target").GetString()}  {node.GetProperty("html").GetString()}\n      " +
                              node.GetProperty("summary").GetString()?.ReplaceLineEndings("\n      "));
        }
        Assert.Fail(report.ToString());
    }

    private static async Task<string> SourceAsync()
    {
        if (_source is not null)
            return _source;
        await Install.WaitAsync();
        try
        {
            if (_source is null)
            {
                await ChildProcess.RunAsync("bash", Path.Combine(Checkout.Root, "scripts", "ensure-axe-core.sh"));
                _source = await File.ReadAllTextAsync(Path.Combine(Checkout.Root, "Portal.Tests", "Browser", "axe", "node_modules", "axe-core", "axe.min.js"));
            }
            return _source;
        }
        finally
        {
            Install.Release();
        }
    }
}
