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
}
