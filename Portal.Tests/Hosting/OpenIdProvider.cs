using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Portal.Tests.Hosting;

/// <summary>
/// A real OpenID provider for the sign-in tests: npm <c>oidc-provider</c> (OpenID Certified), configured by
/// <c>openid-provider/provider.mjs</c>, in a node process of its own on https://127.0.0.1 and a free port
/// (<c>scripts/ensure-oidc-provider.sh</c> installs it on first use). It serves HTTPS with <see cref="TestCertificates"/>
/// because the portal, as shipped, only takes a provider's metadata over HTTPS; the test trusts the test authority
/// rather than the portal being told to accept plain HTTP.
/// Clients: the portal (confidential, authorization code with PKCE, its redirect URIs given at start) and command-line
/// clients (public, PKCE, loopback redirect) that get a person's access token for the portal's API as a JWT.
/// </summary>
public sealed class OpenIdProvider : IDisposable
{
    public const string ClientId = "portal";
    public const string ClientSecret = "portal-test-secret";
    public const string RoleClaim = "roles";
    /// <summary>The portal API's resource indicator, which is the audience of its access tokens.</summary>
    public const string ApiAudience = "https://portal.test/api";
    /// <summary>Another API of the same provider: its tokens are not for the portal.</summary>
    public const string OtherAudience = "https://reports.test/api";
    public const string CommandLineClient = "portal-cli";
    /// <summary>A command-line client whose tokens were issued an hour ago, ten minutes long: expired when they arrive.</summary>
    public const string StaleClient = "portal-cli-stale";
    public const string CommandLineRedirectUri = "http://127.0.0.1/callback";

    /// <summary>
    /// The people. Their subject is the provider's key; the API knows them by another name (<see cref="OpenIdAccount.ApiName"/>)
    /// than the one they sign in with, as happens when a provider puts e-mail addresses in access tokens.
    /// </summary>
    public static IReadOnlyList<OpenIdAccount> Accounts { get; } =
    [
        new("alice", "7c1e1a0e-alice", "Alice Engineer", ["engineer"]),
        new("bob", "5b2f4c11-bob", "Bob Approver", ["approver"]),
        new("carol", "a9d03e72-carol", "Carol Approver", ["approver"]),
        new("dana", "0e6b9d45-dana", "Dana Admin", ["admin"]),
        new("erin", "3f8a7b26-erin", "Erin Engineer", ["engineer", "approver"]),
    ];

    private static readonly Lazy<Task> Installed = new(InstallAsync);

    private readonly ChildProcess _process;
    private readonly string _folder;

    private OpenIdProvider(ChildProcess process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>The issuer, e.g. https://127.0.0.1:41234 (the portal's <c>Authentication:OpenIdConnect:Authority</c>).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>What the provider wrote, for a failure message.</summary>
    public string Output => _process.Output;

    /// <summary>The portal's settings for signing in with this provider.</summary>
    public Dictionary<string, string> PortalSettings() => new()
    {
        ["Authentication:Mode"] = "OpenIdConnect",
        ["Authentication:OpenIdConnect:Authority"] = Issuer,
        ["Authentication:OpenIdConnect:ClientId"] = ClientId,
        ["Authentication:OpenIdConnect:ClientSecret"] = ClientSecret,
        ["Authentication:OpenIdConnect:RoleClaim"] = RoleClaim,
        ["Authentication:OpenIdConnect:Audience"] = ApiAudience,
    };

    /// <summary>Starts a provider that sends the portal back to <paramref name="portalRedirectUris"/> after sign-in.</summary>
    public static async Task<OpenIdProvider> StartAsync(params string[] portalRedirectUris)
    {
        await Installed.Value;
        var folder = TempFolder.New("openid");
        var certificates = TestCertificates.Export(folder);
        var settingsFile = Path.Combine(folder, "provider.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            certificate = certificates.Certificate,
            key = certificates.Key,
            roleClaim = RoleClaim,
            audiences = new[] { ApiAudience, OtherAudience },
            portal = new { clientId = ClientId, clientSecret = ClientSecret, redirectUris = portalRedirectUris },
            commandLineClients = new[] { CommandLineClient, StaleClient },
            commandLineRedirectUri = CommandLineRedirectUri,
            staleClient = StaleClient,
            accounts = Accounts,
        }, JsonSerializerOptions.Web));

        var start = new ProcessStartInfo(Node)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true, // the provider ends when this closes, even if the test process dies
        };
        start.ArgumentList.Add("provider.mjs");
        start.ArgumentList.Add(settingsFile);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = new OpenIdProvider(ChildProcess.Start(start, line =>
        {
            if (line.StartsWith("listening ")) listening.TrySetResult(line["listening ".Length..]);
        }), folder);
        _ = provider._process.WaitForExitAsync().ContinueWith(
            _ => listening.TrySetException(new InvalidOperationException($"The OpenID provider exited:\n{provider.Output}")), TaskScheduler.Default);
        try
        {
            provider.Issuer = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            provider.Dispose();
            throw;
        }
        return provider;
    }

    /// <summary>Signs in on the provider's form, on which <paramref name="page"/> is or is about to be.</summary>
    public static async Task SignInAsync(IPage page, string login)
    {
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#password").FillAsync(Account(login).Password);
        await page.Locator("#sign-in").ClickAsync();
    }

    public static OpenIdAccount Account(string login) => Accounts.Single(a => a.Login == login);

    /// <summary>
    /// <paramref name="login"/>'s access token for <paramref name="audience"/>, got as a command-line client gets it: the
    /// authorization code flow with PKCE in a browser, which signs in on the provider's form and comes back to the
    /// client's loopback address (answered here, in the browser), then the code exchanged at the token endpoint. A
    /// person's token needs the person to sign in: the client credentials grant would be the client, not a person,
    /// and the provider (rightly) offers no password grant.
    /// </summary>
    public async Task<string> AccessTokenAsync(IBrowser browser, string login, string audience = ApiAudience, string client = CommandLineClient)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var redirected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.RouteAsync(CommandLineRedirectUri + "?**", route =>
        {
            redirected.TrySetResult(route.Request.Url);
            return route.FulfillAsync(new RouteFulfillOptions { Body = "Signed in: return to the command line." });
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(QueryHelpers.AddQueryString(Issuer + "/auth", new Dictionary<string, string?>
        {
            ["client_id"] = client,
            ["response_type"] = "code",
            ["redirect_uri"] = CommandLineRedirectUri,
            ["scope"] = "api",
            ["resource"] = audience,
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }));
        await SignInAsync(page, login);
        var answer = QueryHelpers.ParseQuery(new Uri(await redirected.Task.WaitAsync(TimeSpan.FromSeconds(30))).Query);
        Assert.Equal(state, answer["state"].ToString());

        using var http = new HttpClient(TestCertificates.Trusting());
        using var response = await http.PostAsync(Issuer + "/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = answer["code"].ToString(),
            ["redirect_uri"] = CommandLineRedirectUri,
            ["client_id"] = client,
            ["code_verifier"] = verifier,
            ["resource"] = audience,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public void Dispose()
    {
        _process.Dispose();
        TempFolder.Delete(_folder);
    }

    /// <summary>The folder of <c>provider.mjs</c> and its <c>package.json</c>.</summary>
    private static string Folder => Path.Combine(Checkout.Root, "Portal.Tests", "Hosting", "openid-provider");

    /// <summary>Node 22 from <c>scripts/env.sh</c> when it ran (oidc-provider supports the LTS releases from 22), else the machine's.</summary>
    private static string Node => System.Environment.GetEnvironmentVariable("JSII_NODE") is { Length: > 0 } node ? node : "node";

    private static Task InstallAsync() => ChildProcess.RunAsync("bash", Path.Combine(Checkout.Root, "scripts", "ensure-oidc-provider.sh"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A person at the provider: <see cref="Login"/> signs in, <see cref="Subject"/> is the key, the roles go in the role claim.</summary>
public sealed record OpenIdAccount(string Login, string Subject, string Name, string[] Roles)
{
    public string Password => $"{Login}-password";

    /// <summary>The name the provider's access tokens carry (<c>preferred_username</c>); the sign-in name is <see cref="Login"/>.</summary>
    public string ApiName => $"{Login}@example.test";
}
