using System.Security.Claims;
using Portal.Jobs.Workflow;

namespace Portal.Web.Identity;

/// <summary>The signed-in user as the workflow sees them: the same <see cref="Actor"/> for pages and the API.</summary>
public static class PortalActor
{
    /// <summary>
    /// Name and roles from the principal's identities, using each identity's own name and role claim types (the
    /// development sign-in, OpenID Connect's <c>RoleClaim</c> and JWT bearer tokens all set them). Role names are
    /// compared lowercase, as <see cref="PortalRoles"/> are.
    /// </summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var identities = user.Identities.Where(i => i.IsAuthenticated).ToList();
        var name = identities.Select(i => i.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))
            ?? user.FindFirst("sub")?.Value
            ?? throw new InvalidOperationException("The signed-in user has no name or subject claim.");
        var roles = identities
            .SelectMany(i => i.FindAll(i.RoleClaimType))
            .Select(c => c.Value.Trim().ToLowerInvariant())
            .ToHashSet();
        return new Actor(name, roles);
    }
}
