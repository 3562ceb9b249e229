using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Api;

namespace Portal.Tests.Access;

/// <summary>
/// Every page and every endpoint outside <c>/api</c> (the API's own matrix is <see cref="ApiRoleTests"/>), in a
/// browser session as nobody, alice (engineer), bob (approver) and dana (admin), answers with exactly the status the
/// rules give. Pages send the signed-out to the sign-in page (302) and a role that may not see them to /forbidden
/// (302); the API and the event stream never take the browser's cookie (401).
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed partial class PageAccessTests(PortalHost host)
{
    public enum Target
    {
        Root,
        Environments,
        Request,
        Environment,
        RevisionDeploy,
        Edit,
        Approvals,
        Hangfire,
        HangfireJobs,
        HangfireStats,
        SignIn,
        Forbidden,
        NotFound,
        ErrorPage,
        NotFoundPage,
        OpenApi,
        ApiWithCookie,
        EventStreamWithCookie,
        Sandbox,
    }

    /// <summary>An answer: a status, and for a redirect the path it leads to (before the query).</summary>
    public sealed record Expected(HttpStatusCode Status, string? RedirectTo = null)
    {
        public override string ToString() => RedirectTo is null ? $"{(int)Status}" : $"{(int)Status} → {RedirectTo}";
    }

    private static readonly Expected Ok = new(HttpStatusCode.OK);
    private static readonly Expected ToSignIn = new(HttpStatusCode.Redirect, "/signin");
    private static readonly Expected ToForbidden = new(HttpStatusCode.Redirect, "/forbidden");
    private static readonly Expected Unauthorized = new(HttpStatusCode.Unauthorized);

    private const string Anonymous = "anonymous";

    /// <summary>The matrix docs/RELIABILITY.md shows.</summary>
    public static readonly IReadOnlyList<(Target Target, string What, Expected Anonymous, Expected Alice, Expected Bob, Expected Dana)> Rows =
    [
        (Target.Root, "GET /", ToSignIn, new(HttpStatusCode.Redirect, "/environments"), new(HttpStatusCode.Redirect, "/environments"), new(HttpStatusCode.Redirect, "/environments")),
        (Target.Environments, "GET /environments", ToSignIn, Ok, Ok, Ok),
        (Target.Request, "GET /request", ToSignIn, Ok, ToForbidden, Ok),
        (Target.Environment, "GET /environments/{name}", ToSignIn, Ok, Ok, Ok),
        (Target.RevisionDeploy, "GET /environments/{name}/revisions/1", ToSignIn, Ok, Ok, Ok),
        (Target.Edit, "GET /environments/{name}/edit", ToSignIn, Ok, ToForbidden, Ok),
        (Target.Approvals, "GET /approvals", ToSignIn, ToForbidden, Ok, Ok),
        (Target.Hangfire, "GET /hangfire", ToSignIn, ToForbidden, ToForbidden, Ok),
        (Target.HangfireJobs, "GET /hangfire/jobs/enqueued", ToSignIn, ToForbidden, ToForbidden, Ok),
        (Target.HangfireStats, "POST /hangfire/stats (with the dashboard's token)", ToSignIn, ToForbidden, ToForbidden, Ok),
        (Target.SignIn, "GET /signin", Ok, Ok, Ok, Ok),
        (Target.Forbidden, "GET /forbidden", Ok, Ok, Ok, Ok),
        (Target.ErrorPage, "GET /error", Ok, Ok, Ok, Ok),
        (Target.NotFoundPage, "GET /not-found", Ok, Ok, Ok, Ok),
        (Target.NotFound, "GET /no-such-page", new(HttpStatusCode.NotFound), new(HttpStatusCode.NotFound), new(HttpStatusCode.NotFound), new(HttpStatusCode.NotFound)),
        (Target.OpenApi, "GET /openapi/v1.json", Ok, Ok, Ok, Ok),
        (Target.ApiWithCookie, "GET /api/environments with the sign-in cookie", Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        (Target.EventStreamWithCookie, "GET /api/environments/{name}/events/stream with the sign-in cookie", Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        (Target.Sandbox, "POST /sandbox/cloudformation without a SigV4 signature", new(HttpStatusCode.Forbidden), new(HttpStatusCode.Forbidden), new(HttpStatusCode.Forbidden), new(HttpStatusCode.Forbidden)),
    ];

    public static TheoryData<Target, string> Matrix()
    {
        var data = new TheoryData<Target, string>();
        foreach (var row in Rows)
        {
            foreach (var user in new[] { Anonymous, "alice", "bob", "dana" })
            {
                data.Add(row.Target, user);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task PageAnswersEachRoleWithItsStatus(Target target, string user)
    {
        var row = Rows.Single(r => r.Target == target);
        var expected = user switch { Anonymous => row.Anonymous, "alice" => row.Alice, "bob" => row.Bob, _ => row.Dana };
        var name = await AlicesEnvironmentAsync();
        using var session = user == Anonymous ? BrowserSession.Anonymous(host) : await BrowserSession.SignInAsync(host, user);
        var client = session.Client;

        using var response = target switch
        {
            Target.Root => await client.GetAsync("/"),
            Target.Environments => await client.GetAsync("/environments"),
            Target.Request => await client.GetAsync("/request"),
            Target.Environment => await client.GetAsync($"/environments/{name}"),
            Target.RevisionDeploy => await client.GetAsync($"/environments/{name}/revisions/1"),
            Target.Edit => await client.GetAsync($"/environments/{name}/edit"),
            Target.Approvals => await client.GetAsync("/approvals"),
            Target.Hangfire => await client.GetAsync("/hangfire"),
            Target.HangfireJobs => await client.GetAsync("/hangfire/jobs/enqueued"),
            Target.HangfireStats => await DashboardPostAsync(session),
            Target.SignIn => await client.GetAsync("/signin"),
            Target.Forbidden => await client.GetAsync("/forbidden"),
            Target.NotFound => await client.GetAsync("/no-such-page"),
            Target.ErrorPage => await client.GetAsync("/error"),
            Target.NotFoundPage => await client.GetAsync("/not-found"),
            Target.OpenApi => await client.GetAsync("/openapi/v1.json"),
            Target.ApiWithCookie => await client.GetAsync("/api/environments"),
            Target.EventStreamWithCookie => await client.GetAsync($"/api/environments/{name}/events/stream", HttpCompletionOption.ResponseHeadersRead),
            Target.Sandbox => await client.PostAsync("/sandbox/cloudformation",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeStacks", ["Version"] = "2010-05-15" })),
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };

        var redirect = BrowserSession.RedirectPath(response);
        Assert.Equal(expected, new Expected(response.StatusCode, redirect?.Split('?')[0]));
        if (expected == ToSignIn || expected == ToForbidden)
        {
            // Back to where the user was going once signed in; never to another site.
            Assert.StartsWith($"{expected.RedirectTo}?ReturnUrl=%2F", redirect);
        }
    }

    /// <summary>
    /// A dashboard post as Hangfire's own page sends it (its statistics poll, which changes nothing): with the token
    /// from its page, when the user gets the page.
    /// </summary>
    internal static async Task<HttpResponseMessage> DashboardPostAsync(BrowserSession session, bool withToken = true)
    {
        using var dashboard = await session.Client.GetAsync("/hangfire");
        var token = DashboardToken().Match(await dashboard.Content.ReadAsStringAsync());
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["metrics[]"] = "enqueued:count" }),
        };
        if (withToken && token.Success)
        {
            request.Headers.Add("RequestVerificationToken", token.Groups[1].Value);
        }

        return await session.Client.SendAsync(request);
    }

    private static readonly SemaphoreSlim EnvironmentLock = new(1, 1);
    private static string? _environment;

    private async Task<string> AlicesEnvironmentAsync()
    {
        await EnvironmentLock.WaitAsync();
        try
        {
            return _environment ??= await host.RequestedByAliceAsync("access");
        }
        finally
        {
            EnvironmentLock.Release();
        }
    }

    [GeneratedRegex("name=\"csrf-token\" content=\"([^\"]+)\"")]
    internal static partial Regex DashboardToken();
}
