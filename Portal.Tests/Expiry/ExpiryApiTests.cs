using System.Net;
using System.Text.Json.Nodes;
using Portal.Tests.Api;

namespace Portal.Tests.Expiry;

/// <summary>The expiry over the API: <c>expiresAt</c> on submit, GET and PUT <c>/api/environments/{name}/expiry</c>.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ExpiryApiTests(PortalHost host)
{
    [Fact]
    public async Task ASubmitWithABadExpiresAtIsA400NamingItBesideTheSpecErrors()
    {
        using var client = host.Api("alice");

        using var past = await client.PostAsync("/api/environments", Submission(PortalHost.UniqueName("exp"), "2020-01-01T00:00:00Z"));
        using var noOffset = await client.PostAsync("/api/environments", Submission("Bad_Name", "2030-01-01T00:00:00"));
        using var number = await client.PostAsync("/api/environments", Submission(PortalHost.UniqueName("exp"), 5));

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("must be in the future", Assert.Single((await past.FieldErrorsAsync())["expiresAt"]));
        var both = await noOffset.FieldErrorsAsync();
        Assert.Contains("name", both.Keys);
        Assert.Contains("with its offset", Assert.Single(both["expiresAt"]));
        Assert.Contains("got number", Assert.Single((await number.FieldErrorsAsync())["expiresAt"]));
    }

    [Fact]
    public async Task AnEnvironmentSubmittedWithAnExpiryShowsItAndItsOwnerExtendsIt()
    {
        var name = PortalHost.UniqueName("exp");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(2);
        using var submitted = await host.Api("alice").PostAsync("/api/environments", Submission(name, expiresAt.ToString("O")));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        using var read = await host.Api("bob").GetAsync($"/api/environments/{name}/expiry");
        var expiry = await read.JsonAsync();
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), expiry.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(30, expiry.GetProperty("maxDays").GetInt32());

        var later = DateTimeOffset.UtcNow.AddDays(9);
        using var byBob = await host.Api("bob").PutAsync($"/api/environments/{name}/expiry", Body(later.ToString("O")));
        using var tooFar = await host.Api("alice").PutAsync($"/api/environments/{name}/expiry", Body(DateTimeOffset.UtcNow.AddDays(31).ToString("O")));
        using var missing = await host.Api("alice").PutAsync($"/api/environments/{name}/expiry", ApiClient.Json("{}"));
        using var extended = await host.Api("alice").PutAsync($"/api/environments/{name}/expiry", Body(later.ToString("O")));

        Assert.Equal(HttpStatusCode.Forbidden, byBob.StatusCode);
        Assert.Contains("at most 30 days ahead", Assert.Single((await tooFar.FieldErrorsAsync())["expiresAt"]));
        Assert.Equal(["expiresAt"], (await missing.FieldErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(later.ToUnixTimeSeconds(), (await extended.JsonAsync()).GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    private static StringContent Submission(string name, JsonNode expiresAt)
    {
        var body = JsonNode.Parse(ApiClient.SpecJson(name))!.AsObject();
        body["expiresAt"] = expiresAt;
        return ApiClient.Json(body.ToJsonString());
    }

    private static StringContent Body(string expiresAt) => ApiClient.Json(new JsonObject { ["expiresAt"] = expiresAt }.ToJsonString());
}
