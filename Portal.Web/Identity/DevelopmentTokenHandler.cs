using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Jobs.Workflow;

namespace Portal.Web.Identity;

/// <summary>API sign-in for development: <c>Authorization: Bearer dev-alice</c> is alice with her configured roles.</summary>
public sealed class DevelopmentTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<PortalAuthenticationOptions> portal)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var token = header["Bearer ".Length..].Trim();
        var name = token.StartsWith(DevelopmentSignInOptions.TokenPrefix, StringComparison.Ordinal)
            ? token[DevelopmentSignInOptions.TokenPrefix.Length..] : null;
        if (name is null || !portal.Value.Development.Users.TryGetValue(name, out var roles))
            return Task.FromResult(AuthenticateResult.Fail("unknown development token"));
        var principal = DevelopmentUsers.Principal(name, roles, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

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
