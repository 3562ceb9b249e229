using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Portal.Web.Identity;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        // Forms bind with antiforgery validation (UseAntiforgery), so a cross-site post cannot sign anyone in or out.
        account.MapPost("/signin", async ([FromForm] string? user, [FromForm] string? returnUrl,
            HttpContext http, IOptions<PortalAuthenticationOptions> options) =>
        {
            var dev = options.Value;
            if (!dev.IsDevelopment) return Results.NotFound();
            if (user is null || !dev.Development.Users.TryGetValue(user, out var roles))
                return Results.Redirect($"/signin?error={Uri.EscapeDataString("user: choose one of the listed users.")}");
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                DevelopmentUsers.Principal(user, roles, CookieAuthenticationDefaults.AuthenticationScheme));
            return Results.LocalRedirect(LocalOrRoot(returnUrl));
        });
        account.MapGet("/signin/oidc", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) },
                [OpenIdConnectDefaults.AuthenticationScheme]));
        account.MapPost("/signout", async (HttpContext http, IOptions<PortalAuthenticationOptions> options) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return options.Value.IsDevelopment
                ? Results.LocalRedirect("/signin")
                : Results.SignOut(new AuthenticationProperties { RedirectUri = "/signin" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        return app;
    }

    /// <summary>Only local paths: a return URL must never send a user to another site.</summary>
    private static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
