namespace Portal.Web.Identity;

/// <summary>Configuration section <c>Authentication</c>.</summary>
public sealed class PortalAuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary><c>Development</c> (users from configuration) or <c>OpenIdConnect</c>.</summary>
    public string Mode { get; set; } = "OpenIdConnect";

    public DevelopmentSignInOptions Development { get; set; } = new();

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public bool IsDevelopment => string.Equals(Mode, "Development", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Local sign-in: pick a user on a page, or send <c>Authorization: Bearer dev-&lt;name&gt;</c> to the API.</summary>
public sealed class DevelopmentSignInOptions
{
    /// <summary>User name → roles.</summary>
    public Dictionary<string, string[]> Users { get; set; } = [];

    /// <summary>Allow development sign-in on a non-loopback address. Anyone reaching it can be anyone.</summary>
    public bool Force { get; set; }

    public const string TokenPrefix = "dev-";
}

public sealed class OpenIdConnectSettings
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The claim carrying the portal roles (e.g. <c>roles</c>, <c>groups</c>, <c>cognito:groups</c>).</summary>
    public string RoleClaim { get; set; } = "roles";
    /// <summary>The audience API tokens must carry; defaults to the client id.</summary>
    public string? Audience { get; set; }
}
