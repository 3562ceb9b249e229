namespace Portal.Jobs.Workflow;

/// <summary>The role names the portal knows (DESIGN.md "Sign-in and roles"); role claims must use these, lowercase.</summary>
public static class PortalRoles
{
    public const string Engineer = "engineer";
    public const string Approver = "approver";
    public const string Admin = "admin";
}

/// <summary>Who asks for a command: a signed-in user's name and roles, or the portal's own jobs.</summary>
public sealed record Actor(string Name, IReadOnlySet<string> Roles)
{
    /// <summary>The name under which jobs (plan, deploy) record their transitions.</summary>
    public const string PortalName = "portal";

    public bool IsAdmin => Roles.Contains(PortalRoles.Admin);

    /// <summary>Engineers request and change environments; admins do everything.</summary>
    public bool MayRequest => IsAdmin || Roles.Contains(PortalRoles.Engineer);

    /// <summary>Approvers and admins decide on revisions (never on their own, see ApprovalPolicy).</summary>
    public bool MayDecide => IsAdmin || Roles.Contains(PortalRoles.Approver);

    /// <summary>Names are compared ignoring case, so "Alice" cannot approve what "alice" requested.</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
