using System.Text.Json.Serialization;

namespace Portal.Jobs.Workflow;

/// <summary>
/// Who a person is, as the portal tells people apart: the identity provider that vouches for them (<c>iss</c>) and
/// their subject there (<c>sub</c>), compared ordinally. A display name is only shown: providers let users change it,
/// and two people can share one. The canonical string form is <c>issuer#subject</c>: an OpenID Connect issuer is an
/// https URL without a fragment, and the portal's own issuers are URNs without '#', so the first '#' always splits it.
/// </summary>
[JsonConverter(typeof(PersonIdJsonConverter))]
public sealed record PersonId
{
    /// <summary>The issuer of the development sign-in: its subjects are the configured user names.</summary>
    public const string DevelopmentIssuer = "urn:portal:development";

    /// <summary>The issuer of the portal's own reserved people (its jobs and expiry); no sign-in produces it.</summary>
    public const string PortalIssuer = "urn:portal";

    public PersonId(string issuer, string subject)
    {
        if (string.IsNullOrEmpty(issuer) || issuer.Contains('#'))
            throw new ArgumentException($"An issuer is a non-empty URL or URN without '#'; '{issuer}' is not.", nameof(issuer));
        if (string.IsNullOrEmpty(subject))
            throw new ArgumentException("A subject is never empty.", nameof(subject));
        Issuer = issuer;
        Subject = subject;
    }

    public string Issuer { get; }

    public string Subject { get; }

    /// <summary>A user of the development sign-in, by their configured name.</summary>
    public static PersonId Development(string userName) => new(DevelopmentIssuer, userName);

    public static PersonId Parse(string key) =>
        key.IndexOf('#') is var split and > 0 && split < key.Length - 1
            ? new PersonId(key[..split], key[(split + 1)..])
            : throw new FormatException($"'{key}' is not a person key of the form issuer#subject.");

    public override string ToString() => $"{Issuer}#{Subject}";
}

/// <summary>A person as stored with what they did: their key, and the name they showed at the time (for reading only).</summary>
public sealed record Person(PersonId Id, string Name)
{
    /// <summary>The portal's jobs (plan, deploy, drift sweep), as they record their transitions.</summary>
    public static readonly Person Portal = new(new PersonId(PersonId.PortalIssuer, "portal"), "portal");
}
