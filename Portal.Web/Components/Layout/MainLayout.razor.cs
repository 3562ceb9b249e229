namespace Portal.Web.Components.Layout;

/// <summary>App bar with the signed-in user, a navigation drawer (always open on wide screens, a menu on phones).</summary>
public partial class MainLayout
{
    private bool _drawerOpen = true;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
}
