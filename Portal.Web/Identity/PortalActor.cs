using System.Security.Claims;
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
        var keys = identities.SelectMany(i => i.FindAll(SubjectClaim).Select(subject => Key(i, subject))).Distinct().ToList();
        var id = keys switch
        {
            [var one] => one,
            [] => throw new InvalidOperationException("The signed-in user has no subject claim."),
            _ => throw new InvalidOperationException($"The signed-in user has {keys.Count} different subjects; a person has one."),
        };
        var name = identities.Select(i => i.Name).Concat(identities.Select(i => i.FindFirst("name")?.Value))
            .FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? id.Subject;
        var roles = identities
            .SelectMany(i => i.FindAll(i.RoleClaimType))
            .Select(c => c.Value.Trim().ToLowerInvariant())
            .ToHashSet();
        return new Actor(id, name, roles);
    }

    private static PersonId Key(ClaimsIdentity identity, Claim subject)
    {
        var stamped = subject.Issuer is { Length: > 0 } issuer && issuer != ClaimsIdentity.DefaultIssuer ? issuer : null;
        var claimed = identity.FindFirst(IssuerClaim)?.Value;
        if (claimed is not null && stamped is not null && claimed != stamped)
            throw new InvalidOperationException($"The signed-in user's issuer claim ({claimed}) is not the issuer of their subject ({stamped}).");
        return new PersonId(
            claimed ?? stamped ?? throw new InvalidOperationException("The signed-in user's subject has no issuer."),
            subject.Value);
    }
}
