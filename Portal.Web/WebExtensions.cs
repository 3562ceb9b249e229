using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Jobs;
using Portal.Web.Api;
using Portal.Web.Components;
using Portal.Web.Identity;

namespace Portal.Web;

public static class WebExtensions
{
    /// <summary>The workflow (Portal.Jobs), the pages and the REST API.</summary>
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalJobs(builder.Configuration);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddPortalApi();
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        app.EnsureLoopbackForDevelopmentSignIn(app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value);
        // The API answers errors with problem details; pages with a page.
        app.UseWhen(ApiExtensions.IsApiRequest, api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(http => !http.IsApiRequest(), pages =>
        {
            if (!app.Environment.IsDevelopment())
                pages.UseExceptionHandler("/error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapPortalApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
