using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.Api;

namespace Portal.Tests.OpenIdConnect;

/// <summary>
/// A person is who the provider says (its issuer and subject), whichever way they come in: signed in in the browser
/// (cookie) or calling the API (access token), even though the provider names them differently in the two (bob in the
/// browser, bob@example.test in access tokens). So one person is one approval towards a target's required approvals,
/// and a requester cannot approve their own revision through the other door. The sandbox target here needs two.
/// </summary>
[Collection(OpenIdCollection.Name)]
[Trait(Lanes.Category, Lanes.OpenIdProvider)]
public sealed class OnePersonTests(OpenIdPortal portal)
{
    [Fact]
    public async Task AnApproverInTheBrowserAndWithAnAccessTokenCountsOnce()
    {
        var name = await AwaitingApprovalAsync("alice", "one-approver");
        using var bobsApi = portal.Api(await portal.AccessTokenAsync("bob"));

        var bob = await portal.SignInAsync("bob", $"/environments/{name}");
        var revision = bob.Locator("[data-testid=revision-1]");
        await revision.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(revision.Locator("[data-testid=cannot-decide]")).ToContainTextAsync("You have already decided");
        using var again = await bobsApi.PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment("once more"));
        var afterBob = await RevisionAsync(bobsApi, name);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("AwaitingApproval", afterBob.GetProperty("status").GetString());
        Assert.Equal(1, afterBob.GetProperty("approvals").GetArrayLength());

        // A second person is the second approval.
        using var carolsApi = portal.Api(await portal.AccessTokenAsync("carol"));
        using var carolApproves = await carolsApi.PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, carolApproves.StatusCode);
        Assert.Equal(2, (await carolApproves.JsonAsync()).GetProperty("approvals").GetArrayLength());
    }

    [Fact]
    public async Task ARequesterThroughTheApiCannotApproveInTheBrowser()
    {
        var name = await AwaitingApprovalAsync("erin", "own-revision");

        var erin = await portal.SignInAsync("erin", $"/environments/{name}");
        var revision = erin.Locator("[data-testid=revision-1]");

        await Assertions.Expect(revision.Locator("[data-testid=cannot-decide]")).ToContainTextAsync("You requested this revision");
        await Assertions.Expect(revision.Locator("[data-testid=approve]")).ToHaveCountAsync(0);
    }

    /// <summary><paramref name="login"/> requests a new environment through the API; returns once revision 1 awaits approval.</summary>
    private async Task<string> AwaitingApprovalAsync(string login, string prefix)
    {
        var name = PortalHost.UniqueName(prefix);
        using var api = portal.Api(await portal.AccessTokenAsync(login));
        using var submitted = await api.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await Poll.UntilAsync(async () => (await RevisionAsync(api, name)).GetProperty("status").GetString() == "AwaitingApproval",
            $"revision 1 of {name} to be planned");
        return name;
    }

    private static async Task<JsonElement> RevisionAsync(HttpClient api, string name)
    {
        using var response = await api.GetAsync($"/api/environments/{name}/revisions/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
