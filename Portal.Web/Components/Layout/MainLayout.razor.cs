using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Jobs.Preferences;
using Portal.Web.Identity;

namespace Portal.Web.Components.Layout;

/// <summary>
/// App bar with the signed-in user and their theme toggle, a navigation drawer (always open on wide screens, a menu on
/// phones), a skip link to the main content. The theme is the person's choice (<see cref="ThemePreferences"/>, kept by
/// their key): their system's preference, followed as it changes, or light, or dark.
/// </summary>
public partial class MainLayout
{
    private bool _drawerOpen = true;
    private MudThemeProvider _themeProvider = default!;
    private ThemeChoice _theme = ThemeChoice.System;
    private bool _systemDark;
    private bool _dark;
    private ElementReference _main;

    [Inject] private ThemePreferences Preferences { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task SkipToMainAsync() => await _main.FocusAsync();

    private string ThemeIcon => _theme switch
    {
        ThemeChoice.Light => Icons.Material.Filled.LightMode,
        ThemeChoice.Dark => Icons.Material.Filled.DarkMode,
        _ => Icons.Material.Filled.BrightnessAuto,
    };

    /// <summary>Says what the theme is and what a press makes it.</summary>
    private string ThemeLabel => $"Theme: {Describe(_theme)}; switch to {Describe(Next(_theme))}";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The system's preference is known only in the browser, so only once the circuit is up.
        if (!firstRender || !RendererInfo.IsInteractive)
            return;
        if (await PersonAsync() is { } person)
            _theme = await Preferences.GetAsync(person, CancellationToken.None);
        _systemDark = await _themeProvider.GetSystemDarkModeAsync();
        await _themeProvider.WatchSystemDarkModeAsync(async dark =>
        {
            _systemDark = dark;
            await InvokeAsync(Apply);
        });
        Apply();
    }

    private async Task NextThemeAsync()
    {
        _theme = Next(_theme);
        Apply();
        if (await PersonAsync() is { } person)
            await Preferences.SetAsync(person, _theme, CancellationToken.None);
    }

    private void Apply()
    {
        _dark = _theme == ThemeChoice.Dark || (_theme == ThemeChoice.System && _systemDark);
        StateHasChanged();
    }

    private async Task<Portal.Jobs.Workflow.PersonId?> PersonAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        return user.Identity?.IsAuthenticated == true ? user.ToActor().Id : null;
    }

    private static ThemeChoice Next(ThemeChoice theme) => theme switch
    {
        ThemeChoice.System => ThemeChoice.Light,
        ThemeChoice.Light => ThemeChoice.Dark,
        _ => ThemeChoice.System,
    };

    private static string Describe(ThemeChoice theme) => theme == ThemeChoice.System ? "as the system prefers" : theme.ToString().ToLowerInvariant();
}
