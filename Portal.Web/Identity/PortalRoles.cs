namespace Portal.Web.Identity;

/// <summary>The portal's roles (DESIGN.md) and the authorization policies built on them.</summary>
public static class PortalRoles
{
    public const string Engineer = "engineer";
    public const string Approver = "approver";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Engineer, Approver, Admin };

    /// <summary>Policy: may request, update and destroy environments.</summary>
    public const string CanRequest = "CanRequest";
    /// <summary>Policy: may approve or reject revisions.</summary>
    public const string CanApprove = "CanApprove";
    /// <summary>Policy: administrators only (Hangfire dashboard).</summary>
    public const string AdminOnly = "AdminOnly";
}
