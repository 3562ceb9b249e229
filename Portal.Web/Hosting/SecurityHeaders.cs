using System.Security.Cryptography;
using Portal.Web.Identity;

namespace Portal.Web.Hosting;

/// <summary>
/// Security headers on every answer (pages, API, dashboard, static files, errors): a Content-Security-Policy, no
/// framing (<c>frame-ancestors 'none'</c> and <c>X-Frame-Options: DENY</c>), <c>X-Content-Type-Options: nosniff</c> and
/// <c>Referrer-Policy: no-referrer</c>. They are set as the response starts, so they replace what Blazor
/// (<c>frame-ancestors 'self'</c>) and antiforgery (<c>X-Frame-Options: SAMEORIGIN</c>) put there, and survive the
/// exception handler clearing the headers.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "Portal.CspNonce";

    /// <summary>
    /// This request's script nonce: the one inline script a page has (Blazor's import map) carries it; any other inline
    /// script, e.g. one smuggled into stored text, does not run.
    /// </summary>
    public static string CspNonce(this HttpContext context) => (string)context.Items[NonceKey]!;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, PortalAuthenticationOptions authentication)
    {
        var formAction = FormAction(authentication);
        return app.Use((context, next) =>
        {
            // Hex, not base64: '+' and '=' would be entity-encoded in the attribute (harmless to browsers, confusing to read).
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = IsHtml(context.Response.ContentType) ? PagePolicy(nonce, formAction) : OtherPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// Pages: scripts only from the portal (plus the nonce), and the circuit's WebSocket and fetches to the portal only.
    /// Styles allow inline: MudBlazor writes its theme as a <c>&lt;style&gt;</c> element and positions popovers with
    /// <c>style</c> attributes. Nothing needs <c>eval</c> (Blazor Server runs no WebAssembly).
    /// </summary>
    private static string PagePolicy(string nonce, string formAction) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        $"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action {formAction}; frame-ancestors 'none'";

    /// <summary>JSON, event streams, files: nothing in them may load or run anything, nor be framed.</summary>
    private const string OtherPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The sign-in and sign-out forms post to the portal; with OpenID Connect, sign-out then redirects to the provider,
    /// which browsers check against form-action too.
    /// </summary>
    private static string FormAction(PortalAuthenticationOptions authentication) =>
        !authentication.IsDevelopment && Uri.TryCreate(authentication.OpenIdConnect.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "'self'";

    private static bool IsHtml(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}
