using System.Security.Claims;
using Portal.Jobs.Workflow;

namespace Portal.Web.Identity;

public static class DevelopmentUsers
{
    /// <summary>
    /// A development user as the cookie and the <c>dev-</c> token both carry them: the user name as subject under
    /// <see cref="PersonId.DevelopmentIssuer"/> (see <see cref="PortalActor.ToActor"/>), and as the name shown.
    /// </summary>
    public static ClaimsPrincipal Principal(string name, IEnumerable<string> roles, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(PortalActor.SubjectClaim, name, ClaimValueTypes.String, PersonId.DevelopmentIssuer),
                new Claim(PortalActor.IssuerClaim, PersonId.DevelopmentIssuer, ClaimValueTypes.String, PersonId.DevelopmentIssuer),
                .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
            ],
            scheme, ClaimTypes.Name, ClaimTypes.Role));
}
