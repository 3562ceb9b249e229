using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Tests.Access;

/// <summary>
/// What a browser does, without a browser: cookies, the antiforgery token of the page it loaded, and redirects left
/// unfollowed so each answer's status and Location can be checked.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private BrowserSession(PortalHost host)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client { get; }

    /// <summary>Nobody signed in yet.</summary>
    public static BrowserSession Anonymous(PortalHost host) => new(host);

    /// <summary>Signed in through the development sign-in form, as a person would.</summary>
    public static async Task<BrowserSession> SignInAsync(PortalHost host, string user)
    {
        var session = new BrowserSession(host);
        using var signIn = await session.PostFormAsync("/account/signin", await session.FormTokenAsync("/signin"),
            new() { ["user"] = user, ["returnUrl"] = "/environments" });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/environments", signIn.Headers.Location?.OriginalString);
        return session;
    }

    /// <summary>The antiforgery token a page's forms carry (the sign-in form, or the layout's sign-out form).</summary>
    public async Task<string> FormTokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        return FormToken().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"{page} has no form token");
    }

    /// <summary>Posts a form, with <paramref name="token"/> as its antiforgery field unless null.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string? token, Dictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? []);
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }

        return Client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>The path (and query) a redirect sends to, whether the Location is absolute or not.</summary>
    public static string? RedirectPath(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } location => location.PathAndQuery,
        var location => location.OriginalString,
    };

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
