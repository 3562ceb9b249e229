using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using MudBlazor.Services;
using Portal.Sandbox;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Web.Api;
using Portal.Web.Components;
using Portal.Web.Hosting;
using Portal.Web.Identity;

namespace Portal.Web;

/// <summary>What Portal.Web adds to the web host: sign-in, the pages, the REST API, live views and the built-in sandbox.</summary>
public static class DependencyInjection
{
    /// <summary>One name for every instance: by default data protection keys are isolated per content root path.</summary>
    private const string DataProtectionApplicationName = "Portal";

    private const string PersonKey = "A person's key, issuer#subject: who they are, whatever name they show.";

    /// <summary>
    /// Sign-in and the access policies, data protection, the pages (Blazor Server, MudBlazor) and their per-user cap,
    /// live views, the REST API and, where a Sandbox target needs it, the built-in sandbox endpoint. The workflow and
    /// the jobs come from Portal.Jobs (<c>AddPortalWorkflow</c>, <c>AddPortalJobs</c>).
    /// </summary>
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        AddIdentity(builder);
        AddDataProtection(builder);

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Fully opaque snackbars: at MudBlazor's 95% the page shows through, and white on success green fell to 4.35:1.
        services.AddMudServices(config => config.SnackbarConfiguration.MaximumOpacity = 100);
        // Caps each user's live pages: a page requested at the cap renders without a circuit and says why
        // (PageAdmission); a circuit started anyway (two pages at once, a client that skips the page) is ended by
        // OpenPagesHandler before it renders anything.
        services.Configure<OpenPagesOptions>(configuration.GetSection(OpenPagesOptions.Section));
        services.AddSingleton(sp => new PerUserLimit<OpenPagesHandler>(
            sp.GetRequiredService<IOptions<OpenPagesOptions>>().Value.MaxPerUser, $"{OpenPagesOptions.Section}:{nameof(OpenPagesOptions.MaxPerUser)}"));
        services.AddScoped<PageAdmission>();
        services.AddScoped<CircuitHandler, OpenPagesHandler>();

        // Live views (pages and event streams; a worker only announces): on PostgreSQL, woken when another process stored events.
        if (DatabaseConfiguration.Provider(configuration) == DatabaseProvider.Postgres)
        {
            var connectionString = DatabaseConfiguration.PostgresConnectionString(configuration);
            services.AddHostedService(provider => new LiveNotificationListener(connectionString,
                provider.GetRequiredService<StackEventFeed>(), provider.GetRequiredService<ILogger<LiveNotificationListener>>()));
        }

        AddApi(services);
        // A revision with its cost and ETA, for the pages and the API; its cost needs the price table that only the
        // web host loads (AddPortalCostEstimates), so it is registered here rather than with the workflow.
        services.AddScoped<RevisionQueries>();

        if (BuiltInSandbox.IsNeeded(configuration))
        {
            // The built-in sandbox keeps its account beside the portal's data, so a restart finds the stacks the portal knows of.
            builder.Services.AddSandboxCloudFormation(builder.Configuration, Path.Combine(DatabaseConfiguration.DataDirectory(builder.Configuration), "sandbox"));
            builder.Services.AddOptions<TargetOptions>().PostConfigure<IOptions<SandboxOptions>>((targets, sandbox) => BuiltInSandbox.Pace(targets, sandbox.Value));
        }
        return builder;
    }

    /// <summary>The request pipeline and the endpoints: pages, account, API, the jobs dashboard and the built-in sandbox.</summary>
    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        var authentication = app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        app.EnsureLoopbackFor([.. LoopbackGuard.DevelopmentSignIn(authentication), .. BuiltInSandbox.LoopbackOnlyTargets(app.Configuration)]);
        // Outermost, so that error pages, re-executed status pages and the API's problems carry the headers too.
        app.UseSecurityHeaders(authentication);
        // Pages answer errors with a page; the API (inner, so it answers first) with problem details.
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            // Browsers that reached the portal over HTTPS once never try plain HTTP again (not sent to localhost).
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(ApiExtensions.IsApiRequest, api => api.UseExceptionHandler());
        // Inner, so they answer first: only a GET or HEAD is re-executed as a page. A POST, PUT or DELETE re-executed
        // would meet the page's antiforgery check, answering 400 in place of the real status (404 for an unmapped
        // path, 403 from the Hangfire dashboard); they keep their status, with a problem details body.
        app.UseWhen(context => !IsPageNavigation(context), others => others.UseStatusCodePages().Use(NotFoundForUnmappedPagePath));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapPortalApi();
        // Admins only; the dashboard's own local-requests filter is replaced by the portal's policy.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(PortalPolicies.AdminOnly);
        if (BuiltInSandbox.IsNeeded(app.Configuration))
            MapBuiltInSandbox(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Browsers sign in with a cookie (from the development sign-in page or OpenID Connect); API clients send a
    /// bearer token (<c>dev-&lt;name&gt;</c>, or the provider's JWT). API requests get 401/403, never a redirect.
    /// </summary>
    private static void AddIdentity(WebApplicationBuilder builder)
    {
        const string authenticate = "Portal", challenge = "PortalChallenge";
        var section = builder.Configuration.GetSection(PortalAuthenticationOptions.Section);
        builder.Services.Configure<PortalAuthenticationOptions>(section);
        var options = section.Get<PortalAuthenticationOptions>() ?? new PortalAuthenticationOptions();
        var api = options.IsDevelopment ? DevelopmentTokenHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme;
        var browserChallenge = options.IsDevelopment
            ? CookieAuthenticationDefaults.AuthenticationScheme : OpenIdConnectDefaults.AuthenticationScheme;

        var auth = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = authenticate;
            o.DefaultChallengeScheme = challenge;
            o.DefaultForbidScheme = challenge;
        });
        auth.AddPolicyScheme(authenticate, "Portal", o => o.ForwardDefaultSelector = ctx =>
            ctx.Request.Headers.Authorization.Count > 0 ? api : CookieAuthenticationDefaults.AuthenticationScheme);
        auth.AddPolicyScheme(challenge, "Portal challenge", o => o.ForwardDefaultSelector = ctx =>
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

    /// <summary>
    /// The keys that protect sign-in cookies and antiforgery tokens live in the portal's database, so every web instance
    /// behind a load balancer reads what another wrote, and a restarted container does not sign everyone out. With a
    /// <see cref="DataProtectionCertificate"/> each key is stored encrypted to it; without one, a production portal warns at start.
    /// </summary>
    private static void AddDataProtection(WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<PortalDb>();
        if (DataProtectionCertificate.Load(builder.Configuration) is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate); // also decrypts with it: no certificate store needed
        else if (!builder.Environment.IsDevelopment())
            builder.Services.AddHostedService<UnencryptedKeysWarning>();
    }

    /// <summary>JSON as the resources are documented (camelCase, enums by name, absent values left out), problem details and OpenAPI.</summary>
    private static void AddApi(IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        // Routing answers a body of another media type with 415 before any endpoint runs; say why under "$" as for
        // every other unreadable body.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !context.ProblemDetails.Extensions.ContainsKey("errors"))
            {
                const string message = "The body is not of a type this endpoint reads; send it as application/json.";
                context.ProblemDetails.Detail ??= message;
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["$"] = [message] };
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddSingleton(sp => new PerUserLimit<StackEventStream>(
            sp.GetRequiredService<IOptions<LiveEventsOptions>>().Value.MaxStreamsPerUser,
            $"{LiveEventsOptions.Section}:{nameof(LiveEventsOptions.MaxStreamsPerUser)}"));
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Portal API";
                document.Info.Description =
                    "Request, change and approve two-tier AWS environments. Send `Authorization: Bearer <token>` " +
                    "(`dev-<name>` with development sign-in, else the identity provider's JWT). Errors are " +
                    "application/problem+json; 400s carry `errors` keyed by field path.";
                return Task.CompletedTask;
            });
            // A person's key is written as its string (PersonIdJsonConverter), so it is documented as one, in place.
            var defaultReferenceId = o.CreateSchemaReferenceId;
            o.CreateSchemaReferenceId = type => type.Type == typeof(PersonId) ? null : defaultReferenceId(type);
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(PersonId))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                    schema.Description = PersonKey;
                }
                else if (context.JsonTypeInfo.ElementType == typeof(PersonId))
                {
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Description = PersonKey };
                }

                return Task.CompletedTask;
            });
        });
    }

    /// <summary>The sandbox's CloudFormation endpoint and its drift control, and where Sandbox targets reach it.</summary>
    private static void MapBuiltInSandbox(WebApplication app)
    {
        app.MapSandboxCloudFormation();
        // Under /api: bearer tokens only (no CSRF) and problem answers; a demo control, so not in the API's document.
        app.MapSandboxDrift("/api/sandbox/drift").RequireAuthorization(PortalPolicies.ApiClient, PortalPolicies.AdminOnly).ExcludeFromDescription();
        // Sandbox targets call this very host once it listens; tell the CloudFormation factory where that is.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null) return;
            app.Services.GetRequiredService<SandboxAddress>().ServiceUrl = BuiltInSandbox.ServiceUrl(address, SandboxHosting.DefaultPattern);
        });
    }

    /// <summary>
    /// MapStaticAssets' catch-all for files answers GET and HEAD only, so routing calls a POST to any page path that
    /// nothing maps "405 Method Not Allowed" (GET, HEAD); no such path exists, so it is 404.
    /// </summary>
    private static async Task NotFoundForUnmappedPagePath(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response is { StatusCode: StatusCodes.Status405MethodNotAllowed, HasStarted: false } response
            && !context.IsApiRequest() && response.Headers.Allow.ToString() == "GET, HEAD")
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.Headers.Allow = default;
        }
    }

    /// <summary>A browser asking for a page, whose error status is shown as the not-found page.</summary>
    private static bool IsPageNavigation(HttpContext context) =>
        !context.IsApiRequest() && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));
}
