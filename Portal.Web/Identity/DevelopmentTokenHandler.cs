using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

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
