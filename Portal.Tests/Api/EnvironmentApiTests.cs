using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Portal.Tests.Api;

/// <summary>The API's validation, its workflow answers and its resources, as a client sees them.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed partial class EnvironmentApiTests(PortalHost host)
{
    [Fact]
    public async Task InvalidSpecIsRefusedWithEveryProblemKeyedByFieldPath()
    {
        var json = ApiClient.SpecJson(PortalHost.UniqueName("invalid"))
            .Replace("\"listenerPort\": 80", "\"listenerPort\": 70000")
            .Replace("\"memoryMiB\": 512", "\"memoryMiB\": 4096");

        using var response = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await response.FieldErrorsAsync();
        Assert.Equal(["backend.listenerPort", "frontend.memoryMiB"], errors.Keys.Order());
        Assert.Contains("70000 is not a valid port", errors["backend.listenerPort"][0]);
    }

    [Fact]
    public async Task MalformedJsonUnknownFieldsAndWrongTypesAreFieldErrorsNotServerErrors()
    {
        using var client = host.Api("alice");

        using var malformed = await client.PostAsync("/api/environments", ApiClient.Json("{\"name\": \"x\""));
        using var shapeless = await client.PostAsync("/api/environments", ApiClient.Json(
            "{\"name\": \"Bad_Name\", \"target\": \"moon\", \"frontend\": {\"cpu\": \"lots\"}, \"colour\": 1}"));
        using var notJson = await client.PostAsync("/api/environments", new StringContent("name=x", null, "text/plain"));

        Assert.Equal(["$"], (await malformed.FieldErrorsAsync()).Keys);
        var errors = await shapeless.FieldErrorsAsync();
        Assert.Equal(HttpStatusCode.BadRequest, shapeless.StatusCode);
        Assert.Contains("name", errors.Keys);
        Assert.Contains("target", errors.Keys);
        Assert.Contains("frontend.cpu", errors.Keys);
        Assert.Contains("colour", errors.Keys);
        Assert.Contains("backend", errors.Keys);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SubmitAnswersWithTheEnvironmentAndRevisionOneAndItsLocation()
    {
        var name = PortalHost.UniqueName("submit");

        using var response = await host.SubmitAsync("alice", name);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/environments/{name}", response.Headers.Location?.OriginalString);
        var body = await response.JsonAsync();
        Assert.Equal(name, body.GetProperty("environment").GetProperty("name").GetString());
        Assert.Equal("alice", body.GetProperty("environment").GetProperty("owner").GetString());
        var revision = body.GetProperty("revision");
        Assert.Equal(1, revision.GetProperty("number").GetInt32());
        Assert.Equal("Create", revision.GetProperty("kind").GetString());
        // Saved before the answer; the plan job takes it from there to AwaitingApproval.
        Assert.Contains(revision.GetProperty("status").GetString(), new[] { "Submitted", "Planning" });
        Assert.Equal(name, revision.GetProperty("spec").GetProperty("name").GetString());
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");
    }

    [Fact]
    public async Task AliceSubmitsBobApprovesAndAliceCannotApproveHerOwn()
    {
        var name = PortalHost.UniqueName("flow");
        using var submitted = await host.SubmitAsync("alice", name);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");

        using var ownApproval = await host.Api("alice").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment("ship it"));
        using var revision = await host.Api("alice").GetAsync($"/api/environments/{name}/revisions/1");
        using var environment = await host.Api("alice").GetAsync($"/api/environments/{name}");

        Assert.Equal(HttpStatusCode.Forbidden, ownApproval.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        // Approved, and the deploy job may already have picked it up.
        Assert.Contains((await approved.JsonAsync()).GetProperty("status").GetString(), new[] { "Approved", "Deploying", "Deployed" });
        var approval = Assert.Single((await revision.JsonAsync()).GetProperty("approvals").EnumerateArray());
        Assert.Equal("bob", approval.GetProperty("approver").GetString());
        Assert.Equal("ship it", approval.GetProperty("comment").GetString());
        var audit = (await environment.JsonAsync()).GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("what").GetString()).ToList();
        Assert.Contains("Approved", audit);
    }

    [Fact]
    public async Task AnApproverCannotApproveARevisionTheyRequested()
    {
        var name = PortalHost.UniqueName("own");
        using var submitted = await host.SubmitAsync("erin", name);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");

        using var response = await host.Api("erin").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("erin requested revision 1", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnEngineerCannotChangeAnotherEngineersEnvironment()
    {
        var name = await host.RequestedByAliceAsync("owner");

        using var update = await host.Api("erin").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "2.0.0")));

        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Contains("belongs to alice", (await update.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UpdateOpensANewRevisionThatSupersedesTheOpenOne()
    {
        var name = await host.RequestedByAliceAsync("update");

        using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0")));
        using var first = await host.Api("alice").GetAsync($"/api/environments/{name}/revisions/1");

        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        Assert.Equal($"/api/environments/{name}/revisions/2", update.Headers.Location?.OriginalString);
        var revision = await update.JsonAsync();
        Assert.Equal(2, revision.GetProperty("number").GetInt32());
        Assert.Equal("1.5.0", revision.GetProperty("spec").GetProperty("frontend").GetProperty("image").GetProperty("tag").GetString());
        Assert.Equal("Superseded", (await first.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UpdateCannotRenameAnEnvironment()
    {
        var name = await host.RequestedByAliceAsync("rename");

        using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name + "-x")));

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Contains("cannot be renamed", (await update.FieldErrorsAsync())["name"][0]);
    }

    [Fact]
    public async Task DestroyOpensADestroyRevisionAwaitingApproval()
    {
        var name = await host.DeployedForAliceAsync("destroy");

        using var destroy = await host.Api("alice").DeleteAsync($"/api/environments/{name}");

        Assert.Equal(HttpStatusCode.Accepted, destroy.StatusCode);
        var revision = await destroy.JsonAsync();
        Assert.Equal("Destroy", revision.GetProperty("kind").GetString());
        await host.RevisionReachesAsync(name, revision.GetProperty("number").GetInt32(), "AwaitingApproval");
    }

    [Fact]
    public async Task ConflictsAnswer409WithTheReason()
    {
        var name = await host.RequestedByAliceAsync("conflict");

        using var taken = await host.SubmitAsync("alice", name);
        using var nothingToDestroy = await host.Api("alice").DeleteAsync($"/api/environments/{name}");
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        using var tooLate = await host.Api("carol").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("already exists", (await taken.FieldErrorsAsync())["name"][0]);
        Assert.Equal(HttpStatusCode.Conflict, nothingToDestroy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Contains("not awaiting approval", (await tooLate.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RejectionNeedsAReasonAndEndsTheRevision()
    {
        var name = await host.RequestedByAliceAsync("reject");

        using var noReason = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/reject", ApiClient.Comment(null));
        using var badBody = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/reject", ApiClient.Json("{\"comment\": 5, \"why\": \"x\"}"));
        using var rejected = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/reject", ApiClient.Comment("too large for a test"));

        Assert.Equal(["comment"], (await noReason.FieldErrorsAsync()).Keys);
        Assert.Equal(["comment", "why"], (await badBody.FieldErrorsAsync()).Keys.Order());
        var revision = await rejected.JsonAsync();
        Assert.Equal("Rejected", revision.GetProperty("status").GetString());
        Assert.Equal("too large for a test", revision.GetProperty("statusReason").GetString());
    }

    [Fact]
    public async Task UnknownEnvironmentsAndRevisionsAnswer404()
    {
        var name = await host.RequestedByAliceAsync("missing");
        using var client = host.Api("dana");

        var statuses = new[]
        {
            (await client.GetAsync("/api/environments/no-such-env")).StatusCode,
            (await client.PutAsync("/api/environments/no-such-env", ApiClient.Json(ApiClient.SpecJson("no-such-env")))).StatusCode,
            (await client.DeleteAsync("/api/environments/no-such-env")).StatusCode,
            (await client.GetAsync($"/api/environments/{name}/revisions/9")).StatusCode,
            (await client.PostAsync($"/api/environments/{name}/revisions/9/approve", ApiClient.Comment(null))).StatusCode,
            (await client.PostAsync($"/api/environments/no-such-env/revisions/1/reject", ApiClient.Comment("no"))).StatusCode,
        };

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.NotFound, status));
    }

    [Fact]
    public async Task AForbiddenRoleIsToldWhichRolesMay()
    {
        using var response = await host.Api("bob").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson("bobs-env")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("engineer", detail);
        Assert.Contains("admin", detail);
    }

    [Fact]
    public async Task TheBrowserSignInCookieDoesNotAuthenticateTheApi()
    {
        // Another site could make a signed-in browser send the cookie; only bearer tokens count on /api.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
        };
        var signInPage = await browser.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(signInPage).Groups[1].Value;
        using var signIn = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = "alice",
            ["returnUrl"] = "/environments",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var page = await browser.GetAsync("/environments");
        using var api = await browser.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(PortalHost.UniqueName("csrf"))));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task UnknownBearerTokensAreUnauthorized()
    {
        using var client = host.Api(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-mallory");

        using var response = await client.GetAsync("/api/environments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentDescribesEveryEndpoint()
    {
        using var response = await host.Api(null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        var paths = document.GetProperty("paths");
        Assert.Equal(
            [
                "/api/environments", "/api/environments/{name}", "/api/environments/{name}/drift", "/api/environments/{name}/events",
                "/api/environments/{name}/events/stream", "/api/environments/{name}/expiry", "/api/environments/{name}/health",
                "/api/environments/{name}/revisions/{number}",
                "/api/environments/{name}/revisions/{number}/approve", "/api/environments/{name}/revisions/{number}/cancel",
                "/api/environments/{name}/revisions/{number}/reject",
            ],
            paths.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(paths.GetProperty("/api/environments").GetProperty("post").GetProperty("responses").TryGetProperty("400", out _));
        // A revision's plan is documented as an object, not the stored JSON text.
        var revision = document.GetProperty("components").GetProperty("schemas").GetProperty("RevisionResource").GetProperty("properties");
        Assert.True(revision.TryGetProperty("plan", out _));
        Assert.False(revision.TryGetProperty("planJson", out _));
        // People are shown by name and told apart by key, the string issuer#subject.
        Assert.Equal("string", revision.GetProperty("requestedBy").GetProperty("type").GetString());
        Assert.Equal("string", revision.GetProperty("requestedById").GetProperty("type").GetString());
        Assert.Equal("string", revision.GetProperty("editedByIds").GetProperty("items").GetProperty("type").GetString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
