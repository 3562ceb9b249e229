using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Web.Components;
using Portal.Web.Identity;

namespace Portal.Web;

public static class WebExtensions
{
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        app.EnsureLoopbackForDevelopmentSignIn(app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value);
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
