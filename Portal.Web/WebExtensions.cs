using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Infra.Costs;
using Portal.Web.Hosting;
using Portal.Web.Api;
using Portal.Web.Components;
using Portal.Web.Identity;

namespace Portal.Web;

public static class WebExtensions
{
    /// <summary>The workflow and its jobs (Portal.Jobs), the pages and the REST API.</summary>
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.AddPortalDeployments();
        builder.Services.AddCostEstimates(builder.Configuration);
        builder.Services.AddScoped<Portal.Jobs.Revisions.RevisionQueries>(); // here, beside the price table it needs
        builder.AddPortalDataProtection();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddOpenPageLimit(builder.Configuration);
        builder.Services.AddMudServices();
        builder.Services.AddPortalApi();
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        var authentication = app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        app.EnsureLoopbackFor([.. LoopbackGuard.DevelopmentSignIn(authentication), .. DeploymentHosting.SandboxTargets(app.Configuration)]);
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
        app.MapPortalDeployments();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
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
