using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Tests.Access;

/// <summary>
/// An OpenID Connect provider held in the test: its signing key, and its published configuration given to the portal
/// directly (validation needs the issuer and keys, not the network). Tests mint its JWTs for whoever they need.
/// </summary>
internal sealed class TestIdentityProvider : IDisposable
{
    public const string Issuer = "https://login.example.com/realms/portal";
    public const string ClientId = "portal";
    public const string RoleClaim = "groups";

    private readonly RSA _rsa = RSA.Create(2048);

    public TestIdentityProvider() => SigningKey = new RsaSecurityKey(_rsa) { KeyId = "provider" };

    public SecurityKey SigningKey { get; }

    /// <summary>The settings of a portal that signs in with this provider, beside <paramref name="others"/>.</summary>
    public static Dictionary<string, string> Settings(IReadOnlyDictionary<string, string> others) => new(others)
    {
        ["Authentication:Mode"] = "OpenIdConnect",
        ["Authentication:OpenIdConnect:Authority"] = Issuer,
        ["Authentication:OpenIdConnect:ClientId"] = ClientId,
        ["Authentication:OpenIdConnect:RoleClaim"] = RoleClaim,
    };

    /// <summary>The portal's API trusts this provider's tokens, also those it issues as <paramref name="otherIssuers"/>.</summary>
    public void Trust(IServiceCollection services, params string[] otherIssuers) =>
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(SigningKey);
            o.Configuration = configuration;
            if (otherIssuers.Length > 0) o.TokenValidationParameters.ValidIssuers = otherIssuers;
        });

    /// <summary>An access token for <paramref name="subject"/>, shown as <paramref name="name"/> (its <c>preferred_username</c>).</summary>
    public string Token(
        string subject, string name, string[] roles, string roleClaim = RoleClaim, string issuer = Issuer, string audience = ClientId,
        SecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["preferred_username"] = name, [roleClaim] = roles },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });

    public void Dispose() => _rsa.Dispose();
}
