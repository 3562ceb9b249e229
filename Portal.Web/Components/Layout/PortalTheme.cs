using MudBlazor;

namespace Portal.Web.Components.Layout;

public static class PortalTheme
{
    /// <summary>
    /// System fonts only: the portal never loads fonts from the internet. Every palette colour meets WCAG 2.2 AA: 4.5:1 as
    /// text on the page's background and with its contrast text on a filled button or chip (MudBlazor's defaults, e.g. the
    /// success green #00c853 at 2.2:1, do not). Dark: light tints with black text. Checked by the browser tests' axe audit.
    /// </summary>
    public static readonly MudTheme Theme = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
            },
        },
        PaletteLight = new PaletteLight
        {
            Primary = "#594ae2",
            Secondary = "#ad1457",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#a85400",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.64)",
            ActionDefault = "rgba(0,0,0,0.64)",
        },
        PaletteDark = new PaletteDark
        {
            // The *Darken shades colour alerts' text over their tinted background: in the dark theme they are lighter still.
            Primary = "#c5b3e6",
            PrimaryDarken = "#d1c4e9",
            PrimaryContrastText = "#000000",
            Secondary = "#f8bbd0",
            SecondaryContrastText = "#000000",
            Info = "#90caf9",
            InfoDarken = "#bbdefb",
            InfoContrastText = "#000000",
            Success = "#81c784",
            SuccessDarken = "#c8e6c9",
            SuccessContrastText = "#000000",
            Warning = "#ffb74d",
            WarningDarken = "#ffcc80",
            WarningContrastText = "#000000",
            Error = "#ef9a9a",
            ErrorDarken = "#ffcdd2",
            ErrorContrastText = "#000000",
            TextSecondary = "rgba(255,255,255,0.72)",
            ActionDefault = "rgba(255,255,255,0.72)",
        },
    };
}
