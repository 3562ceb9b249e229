using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Jobs.Workflow;
using Portal.Tests.Api;
using Portal.Tests.Postgres;
using Portal.Tests.Workflow;

namespace Portal.Tests.Access;

/// <summary>
/// People as the API tells them apart, from the provider's JWTs: by issuer and subject, never by the name a token shows.
/// The portal's sandbox target needs two approvals here, and plans at once (the placeholder plan scheduler).
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class PeopleApiTests : IAsyncLifetime
{
    /// <summary>A second issuer the portal trusts (a provider that moved, or a second tenant), with the same key.</summary>
    private const string OtherIssuer = "https://login.example.org/realms/portal";

    private readonly TestIdentityProvider _provider = new();
    private ConfiguredHost _host = null!;
    private HttpClient _client = null!;

    private static readonly string[] Engineer = [PortalRoles.Engineer];
    private static readonly string[] Approver = [PortalRoles.Approver];

    public async Task InitializeAsync()
    {
        var settings = TestIdentityProvider.Settings(await TestDatabase.SettingsAsync());
        settings["Targets:sandbox:RequiredApprovals"] = "2";
        _host = new ConfiguredHost(settings, services =>
        {
            _provider.Trust(services, TestIdentityProvider.Issuer, OtherIssuer);
            services.RemoveAll<IPlanScheduler>().RemoveAll<IDeployScheduler>().AddPlaceholderSchedulers();
        });
        _client = _host.CreateClient();
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _host.Dispose();
        _provider.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OneSubjectUnderTwoNamesCountsOnceTowardTheRequiredApprovals()
    {
        var name = await SubmittedAsync(_provider.Token("alice-id", "alice", Engineer));

        using var first = await ApproveAsync(name, _provider.Token("bob-id", "bob", Approver));
        using var again = await ApproveAsync(name, _provider.Token("bob-id", "Robert", Approver));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("has already decided", await again.Content.ReadAsStringAsync());
        var revision = await RevisionAsync(name);
        Assert.Equal("AwaitingApproval", revision.GetProperty("status").GetString());
        Assert.Equal(1, revision.GetProperty("approvalsCounted").GetInt32());
    }

    [Fact]
    public async Task TwoPeopleWhoShowOneNameAreTwoApprovers()
    {
        var name = await SubmittedAsync(_provider.Token("alice-id", "alice", Engineer));

        using var first = await ApproveAsync(name, _provider.Token("bob-id", "bob", Approver));
        using var second = await ApproveAsync(name, _provider.Token("other-bob-id", "bob", Approver));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var revision = await RevisionAsync(name);
        Assert.Equal(("Approved", 2), (revision.GetProperty("status").GetString(), revision.GetProperty("approvalsCounted").GetInt32()));
    }

    [Fact]
    public async Task ARequesterUnderAnotherNameMayNotApproveTheirOwnRevision()
    {
        var name = await SubmittedAsync(_provider.Token("erin-id", "erin", [PortalRoles.Engineer, PortalRoles.Approver]));

        using var approved = await ApproveAsync(name, _provider.Token("erin-id", "Erin S.", Approver));

        Assert.Equal(HttpStatusCode.Forbidden, approved.StatusCode);
        Assert.Contains("requested revision 1", await approved.Content.ReadAsStringAsync());
        Assert.Equal(0, (await RevisionAsync(name)).GetProperty("approvalsCounted").GetInt32());
    }

    [Fact]
    public async Task SomeoneElseWhoShowsTheOwnersNameIsNotTheOwner()
    {
        var name = await SubmittedAsync(_provider.Token("alice-id", "alice", Engineer));
        var impostor = _provider.Token("mallory-id", "alice", Engineer);

        using var update = await SendAsync(HttpMethod.Put, $"/api/environments/{name}", impostor, ApiClient.Json(ApiClient.SpecJson(name, tag: "6.6.6")));
        using var cancel = await SendAsync(HttpMethod.Post, $"/api/environments/{name}/revisions/1/cancel", impostor);

        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        // The API shows the name, and beside it the key that tells the two apart.
        var revision = await RevisionAsync(name);
        Assert.Equal("AwaitingApproval", revision.GetProperty("status").GetString());
        Assert.Equal("alice", revision.GetProperty("requestedBy").GetString());
        Assert.Equal(TestIdentityProvider.Issuer + "#alice-id", revision.GetProperty("requestedById").GetString());
    }

    [Fact]
    public async Task TheSameSubjectFromAnotherIssuerIsAnotherPerson()
    {
        var alices = await SubmittedAsync(_provider.Token("alice-id", "alice", Engineer));
        var erins = await SubmittedAsync(_provider.Token("erin-id", "erin", [PortalRoles.Engineer, PortalRoles.Approver]));

        using var update = await SendAsync(HttpMethod.Put, $"/api/environments/{alices}",
            _provider.Token("alice-id", "alice", Engineer, issuer: OtherIssuer), ApiClient.Json(ApiClient.SpecJson(alices, tag: "6.6.6")));
        using var approved = await ApproveAsync(erins, _provider.Token("erin-id", "erin", Approver, issuer: OtherIssuer));

        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(1, (await RevisionAsync(erins)).GetProperty("approvalsCounted").GetInt32());
    }

    /// <summary>A new environment requested with <paramref name="token"/>; its revision 1 awaits approval.</summary>
    private async Task<string> SubmittedAsync(string token)
    {
        var name = PortalHost.UniqueName("people");
        using var submitted = await SendAsync(HttpMethod.Post, "/api/environments", token, ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("AwaitingApproval", (await RevisionAsync(name)).GetProperty("status").GetString());
        return name;
    }

    private Task<HttpResponseMessage> ApproveAsync(string name, string token) =>
        SendAsync(HttpMethod.Post, $"/api/environments/{name}/revisions/1/approve", token, ApiClient.Comment(null));

    private async Task<System.Text.Json.JsonElement> RevisionAsync(string name)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/environments/{name}/revisions/1",
            _provider.Token("dana-id", "dana", [PortalRoles.Admin]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }
}
