using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Portal.Jobs.Workflow;

namespace Portal.Web.Identity;

public static class IdentityExtensions
{
    private const string Authenticate = "Portal";
    private const string Challenge = "PortalChallenge";

    /// <summary>
    /// Browsers sign in with a cookie (from the development sign-in page or OpenID Connect); API clients send a
    /// bearer token (<c>dev-&lt;name&gt;</c>, or the provider's JWT). API requests get 401/403, never a redirect.
    /// </summary>
    public static WebApplicationBuilder AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PortalAuthenticationOptions.Section);
        builder.Services.Configure<PortalAuthenticationOptions>(section);
        var options = section.Get<PortalAuthenticationOptions>() ?? new PortalAuthenticationOptions();
        var api = options.IsDevelopment ? DevelopmentTokenHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme;
        var browserChallenge = options.IsDevelopment
            ? CookieAuthenticationDefaults.AuthenticationScheme : OpenIdConnectDefaults.AuthenticationScheme;

        var auth = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = Authenticate;
            o.DefaultChallengeScheme = Challenge;
            o.DefaultForbidScheme = Challenge;
        });
        auth.AddPolicyScheme(Authenticate, "Portal", o => o.ForwardDefaultSelector = ctx =>
            ctx.Request.Headers.Authorization.Count > 0 ? api : CookieAuthenticationDefaults.AuthenticationScheme);
        auth.AddPolicyScheme(Challenge, "Portal challenge", o => o.ForwardDefaultSelector = ctx =>
            ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Headers.Authorization.Count > 0 ? api
            : ctx.Response.StatusCode == 403 ? CookieAuthenticationDefaults.AuthenticationScheme : browserChallenge);
        // Outside Development the portal is reached over HTTPS (directly or behind a proxy), so its cookies are marked
        // Secure whatever scheme the request seems to have come in on; development runs on http://127.0.0.1.
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        auth.AddCookie(o =>
        {
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/forbidden";
            o.Cookie.Name = "portal.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = PortalActor.RejectWithoutKeyAsync;
        });
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);

        if (options.IsDevelopment)
            auth.AddScheme<AuthenticationSchemeOptions, DevelopmentTokenHandler>(DevelopmentTokenHandler.SchemeName, null);
        else
            AddOpenIdConnect(auth, options.OpenIdConnect);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.CanRequest, p => p.RequireRole(PortalRoles.Engineer, PortalRoles.Admin))
            .AddPolicy(PortalPolicies.CanApprove, p => p.RequireRole(PortalRoles.Approver, PortalRoles.Admin))
            .AddPolicy(PortalPolicies.AdminOnly, p => p.RequireRole(PortalRoles.Admin))
            .AddPolicy(PortalPolicies.ApiClient, p => p.AddAuthenticationSchemes(api).RequireAuthenticatedUser());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    private static void AddOpenIdConnect(AuthenticationBuilder auth, OpenIdConnectSettings oidc)
    {
        if (string.IsNullOrWhiteSpace(oidc.Authority) || string.IsNullOrWhiteSpace(oidc.ClientId))
            throw new InvalidOperationException(
                "Authentication:OpenIdConnect:Authority and Authentication:OpenIdConnect:ClientId are required " +
                "when Authentication:Mode is OpenIdConnect.");
        auth.AddOpenIdConnect(o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = "preferred_username";
            o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
            // Providers send these from the userinfo endpoint rather than in the ID token (OpenID Connect Core 5.4 for
            // the code flow); the handler keeps only the claims it is told to.
            o.ClaimActions.MapUniqueJsonKey("preferred_username", "preferred_username");
            o.ClaimActions.MapJsonKey(oidc.RoleClaim, oidc.RoleClaim);
            // The cookie keeps the ID token's issuer beside its subject: together they are the person (PortalActor).
            o.ClaimActions.Remove(PortalActor.IssuerClaim);
        });
        auth.AddJwtBearer(o =>
        {
            o.Authority = oidc.Authority;
            o.Audience = oidc.Audience ?? oidc.ClientId;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = "preferred_username";
            o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
        });
    }
}
