using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Sandbox;
using Portal.Tests.Api;

namespace Portal.Tests.Drift;

/// <summary>Drift over the REST API: start a check, follow the Location to the latest result, refusals.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class DriftApiTests(PortalHost host)
{
    private static Task<JsonElement> LatestWhenFinishedAsync(HttpClient client, string location) => Poll.UntilAsync(
        () => client.GetFromJsonAsync<JsonElement>(location),
        latest => latest.GetProperty("status").GetString() != "Running",
        latest => $"the drift check is still running after 60 s: {latest}", TimeSpan.FromSeconds(60));

    [Fact]
    public async Task AnApproverStartsACheckAndTheLatestResultListsTheDriftedProperty()
    {
        var name = await host.DeployedForAliceAsync("drift");
        using var bob = host.Api("bob");
        using var none = await bob.GetAsync($"/api/environments/{name}/drift");
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        var events = await bob.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events");
        var service = events.EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
            .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
        host.Services.GetRequiredService<SandboxCloudFormation>().Drift($"portal-{name}", service, "/DesiredCount", "9");

        using var started = await bob.PostAsync($"/api/environments/{name}/drift", null);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/api/environments/{name}/drift", started.Headers.Location!.OriginalString);
        Assert.Equal("Running", (await started.JsonAsync()).GetProperty("status").GetString());
        var latest = await LatestWhenFinishedAsync(bob, started.Headers.Location.OriginalString);
        Assert.Equal("Drifted", latest.GetProperty("status").GetString());
        Assert.Equal(1, latest.GetProperty("driftedCount").GetInt32());
        Assert.Equal("bob", latest.GetProperty("requestedBy").GetString());
        var resource = Assert.Single(latest.GetProperty("resources").EnumerateArray());
        Assert.Equal(service, resource.GetProperty("logicalResourceId").GetString());
        Assert.Equal("MODIFIED", resource.GetProperty("driftStatus").GetString());
        var difference = Assert.Single(resource.GetProperty("differences").EnumerateArray());
        Assert.Equal("/DesiredCount", difference.GetProperty("propertyPath").GetString());
        Assert.Equal("9", difference.GetProperty("actualValue").GetString());
        Assert.Equal("NOT_EQUAL", difference.GetProperty("differenceType").GetString());
    }

    [Fact]
    public async Task ACheckOfNothingDeployedAnUnknownEnvironmentOrWithoutATokenIsRefused()
    {
        var name = await host.RequestedByAliceAsync("drift-none");

        using var notDeployed = await host.Api("alice").PostAsync($"/api/environments/{name}/drift", null);
        using var unknown = await host.Api("alice").PostAsync("/api/environments/no-such-env/drift", null);
        using var anonymous = await host.Api(null).PostAsync($"/api/environments/{name}/drift", null);

        Assert.Equal(HttpStatusCode.Conflict, notDeployed.StatusCode);
        Assert.Contains("no deployed stack", (await notDeployed.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task AnAdminMakesDriftThroughTheSandboxControlAndOthersMayNot()
    {
        var name = await host.DeployedForAliceAsync("drift-control");
        var body = new { stackName = $"portal-{name}", logicalId = "", propertyPath = "/DesiredCount", actualValue = "3" };
        using var dana = host.Api("dana");
        var events = await dana.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events");
        var service = events.EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
            .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));

        using var byAlice = await host.Api("alice").PostAsJsonAsync("/api/sandbox/drift", body with { logicalId = service });
        using var noLogicalId = await dana.PostAsJsonAsync("/api/sandbox/drift", body);
        using var badPath = await dana.PostAsJsonAsync("/api/sandbox/drift", body with { logicalId = service, propertyPath = "/DesiredCount/deeper" });
        using var drifted = await dana.PostAsJsonAsync("/api/sandbox/drift", body with { logicalId = service });

        Assert.Equal(HttpStatusCode.Forbidden, byAlice.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noLogicalId.StatusCode);
        Assert.True((await noLogicalId.JsonAsync()).GetProperty("errors").TryGetProperty("logicalId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badPath.StatusCode);
        Assert.True((await badPath.JsonAsync()).GetProperty("errors").TryGetProperty("propertyPath", out _));
        Assert.Equal(HttpStatusCode.NoContent, drifted.StatusCode);
        using var started = await dana.PostAsync($"/api/environments/{name}/drift", null);
        var latest = await LatestWhenFinishedAsync(dana, started.Headers.Location!.OriginalString);
        Assert.Equal("3", latest.GetProperty("resources")[0].GetProperty("differences")[0].GetProperty("actualValue").GetString());
    }
}
