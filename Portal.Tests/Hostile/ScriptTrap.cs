using Microsoft.Playwright;

namespace Portal.Tests.Hostile;

/// <summary>
/// Watches a browser page for what hostile text would do if it ran: open a dialog (<c>alert</c>) or set
/// <c>window.__xss</c>, the two things every payload of these tests tries. Also tells whether the page's Blazor circuit
/// is still up (no reconnect dialog, no error bar).
/// </summary>
public sealed class ScriptTrap
{
    private readonly List<string> _dialogs = [];

    private ScriptTrap(IPage page)
    {
        Page = page;
        page.Dialog += async (_, dialog) =>
        {
            lock (_dialogs)
            {
                _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public static ScriptTrap On(IPage page) => new(page);

    public async Task AssertNothingRanAsync()
    {
        lock (_dialogs)
        {
            Assert.Empty(_dialogs);
        }
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__xss === undefined"), "a payload set window.__xss");
    }

    public async Task AssertCircuitAliveAsync()
    {
        await Assertions.Expect(Page.Locator("#components-reconnect-modal[open]")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
