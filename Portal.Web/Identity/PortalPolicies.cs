namespace Portal.Web.Identity;

/// <summary>Authorization policies over the roles of <see cref="Portal.Jobs.Workflow.PortalRoles"/>.</summary>
public static class PortalPolicies
{
    /// <summary>May request, update and destroy environments.</summary>
    public const string CanRequest = "CanRequest";
    /// <summary>May approve or reject revisions.</summary>
    public const string CanApprove = "CanApprove";
    /// <summary>Administrators only (the Hangfire dashboard).</summary>
    public const string AdminOnly = "AdminOnly";
    /// <summary>
    /// Every <c>/api</c> endpoint: a bearer token (<c>dev-&lt;name&gt;</c> or the provider's JWT), never the browser's
    /// cookie, so another site cannot make a signed-in browser call the API (no CSRF).
    /// </summary>
    public const string ApiClient = "ApiClient";
}
