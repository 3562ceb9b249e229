namespace Portal.Web.Hosting;

/// <summary>Configuration section <c>Circuits</c>.</summary>
public sealed class OpenPagesOptions
{
    public const string Section = "Circuits";

    /// <summary>
    /// Live pages (Blazor circuits: a connection, the page's state and its live subscriptions) one user may hold on one web
    /// instance. A page that closed without saying so still counts until Blazor drops its circuit (3 minutes).
    /// </summary>
    public int MaxPerUser { get; set; } = 20;
}
