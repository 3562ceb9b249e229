using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.Jobs.Workflow;

namespace Portal.Web.Identity;

/// <summary>The signed-in user as the workflow sees them: the same <see cref="Actor"/> for pages and the API.</summary>
public static class PortalActor
{
    public const string SubjectClaim = "sub";
    public const string IssuerClaim = "iss";

    /// <summary>
    /// The one place claims become a person. The key is the <c>sub</c> claim under its issuer: the <c>iss</c> claim, else
    /// the issuer the validating handler stamped on the <c>sub</c> claim (<see cref="Claim.Issuer"/>). Every sign-in
    /// carries them the same way: the development sign-in (cookie and <c>dev-</c> token) under
    /// <see cref="PersonId.DevelopmentIssuer"/>, a provider's access token (JWT bearer) and the cookie its ID token
    /// made (OpenID Connect) under the provider's issuer, with inbound claims unmapped. So one person's cookie and
    /// bearer token are one key whatever names they show, and nobody becomes someone else by showing their name.
    /// The display name is the identity's name claim (<c>preferred_username</c> for OpenID Connect), else <c>name</c>,
    /// else the subject. Roles come from each identity's own role claim type, compared lowercase as
    /// <see cref="PortalRoles"/> are.
    /// </summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var identities = user.Identities.Where(i => i.IsAuthenticated).ToList();
        var id = Key(identities, out var problem) ?? throw new InvalidOperationException(problem);
        var name = identities.Select(i => i.Name).Concat(identities.Select(i => i.FindFirst("name")?.Value))
            .FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? id.Subject;
        var roles = identities
            .SelectMany(i => i.FindAll(i.RoleClaimType))
            .Select(c => c.Value.Trim().ToLowerInvariant())
            .ToHashSet();
        return new Actor(id, name, roles);
    }

    /// <summary>
    /// A cookie that names no one person (one from before people had keys) signs nobody in: the browser is sent to sign
    /// in again rather than to an error. For <c>CookieAuthenticationEvents.OnValidatePrincipal</c>.
    /// </summary>
    public static Task RejectWithoutKeyAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } user || Key([.. user.Identities.Where(i => i.IsAuthenticated)], out _) is null)
            context.RejectPrincipal();
        return Task.CompletedTask;
    }

    private static PersonId? Key(IReadOnlyList<ClaimsIdentity> identities, out string? problem)
    {
        var keys = new HashSet<PersonId>();
        foreach (var identity in identities)
            foreach (var subject in identity.FindAll(SubjectClaim))
            {
                var stamped = subject.Issuer is { Length: > 0 } issuer && issuer != ClaimsIdentity.DefaultIssuer ? issuer : null;
                var claimed = identity.FindFirst(IssuerClaim)?.Value;
                if (claimed is not null && stamped is not null && claimed != stamped)
                    return Refuse($"the issuer claim ({claimed}) is not the issuer of the subject ({stamped})", out problem);
                if ((claimed ?? stamped) is not { } from || subject.Value.Length == 0 || from.Contains('#'))
                    return Refuse("no issuer vouches for the subject", out problem);
                keys.Add(new PersonId(from, subject.Value));
            }

        problem = null;
        return keys.Count switch
        {
            1 => keys.Single(),
            0 => Refuse("there is no subject claim", out problem),
            _ => Refuse($"there are {keys.Count} different subjects; a person has one", out problem),
        };
    }

    private static PersonId? Refuse(string why, out string problem)
    {
        problem = "The signed-in user is nobody the portal can tell apart: " + why + ".";
        return null;
    }
}
