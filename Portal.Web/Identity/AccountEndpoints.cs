using Microsoft.AspNetCore.Antiforgery;
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
        var forms = account.MapGroup("").DisableAntiforgery().AddEndpointFilter(RequireAntiforgeryToken);
        forms.MapPost("/signin", async ([FromForm] string? user, [FromForm] string? returnUrl,
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
        forms.MapPost("/signout", async (HttpContext http, IOptions<PortalAuthenticationOptions> options) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return options.Value.IsDevelopment
                ? Results.LocalRedirect("/signin")
                : Results.SignOut(new AuthenticationProperties { RedirectUri = "/signin" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        return app;
    }

    /// <summary>
    /// The sign-in and sign-out forms carry an antiforgery token, so another site cannot sign anyone in or out. Checked
    /// here rather than by the framework's form binding, which answers a bare 400 that the status pages then re-run as
    /// a form post and turn into a 500; sign-out binds no form, so nothing would check it at all.
    /// </summary>
    private static async ValueTask<object?> RequireAntiforgeryToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)
            ? await next(context)
            : Results.Text("This form is missing its antiforgery token or it has expired: reload the sign-in page and try again.",
                statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// A return URL if it is a path of the portal, else <c>/</c>: a return URL must never send a user to another site. It
    /// must read as a local path as written and after every further decoding (a browser or a proxy may decode once more):
    /// <c>/</c> not followed by another <c>/</c>, with no backslash (browsers read it as <c>/</c>) and no control
    /// character (browsers drop tabs and line breaks, so <c>/\t/evil.com</c> is <c>//evil.com</c>).
    /// </summary>
    public static string LocalOrRoot(string? url)
    {
        var reading = url;
        for (var decodings = 0; decodings < 4 && reading is not null; decodings++)
        {
            if (!IsLocalPath(reading)) return "/";
            var decoded = Uri.UnescapeDataString(reading);
            if (decoded == reading) return url!;
            reading = decoded;
        }
        return "/"; // encoded more deeply than any link the portal makes
    }

    private static bool IsLocalPath(string url) =>
        url.StartsWith('/') && !url.StartsWith("//") && !url.Contains('\\') && !url.Any(char.IsControl);
}
