namespace Portal.Jobs.Workflow;

/// <summary>The role names the portal knows (docs/OPERATIONS.md "Sign-in and roles"); role claims must use these, lowercase.</summary>
public static class PortalRoles
{
    public const string Engineer = "engineer";
    public const string Approver = "approver";
    public const string Admin = "admin";
}
