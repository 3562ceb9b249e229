using MudBlazor;

namespace Portal.Web.Components.Layout;

public static class PortalTheme
{
    /// <summary>System fonts only: the portal never loads fonts from the internet.</summary>
    public static readonly MudTheme Theme = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
