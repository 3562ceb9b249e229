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
        builder.AddPortalDataProtection();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddPortalApi();
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        var authentication = app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        app.EnsureLoopbackForDevelopmentSignIn(authentication);
        // Outermost, so that error pages, re-executed status pages and the API's problems carry the headers too.
        app.UseSecurityHeaders(authentication);
        // Pages answer errors with a page; the API (inner, so it answers first) with problem details.
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(ApiExtensions.IsApiRequest, api => api.UseExceptionHandler().UseStatusCodePages());
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
}
