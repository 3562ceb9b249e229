using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Environments;
using Portal.Tests.ServiceHealth;

namespace Portal.Tests.Api;

/// <summary>
/// Why a deploy failed and whether an environment is healthy, as an API client reads them: the revision's <c>cause</c>
/// leading its <c>statusReason</c>, the reading behind it in <c>diagnosis</c>, and <c>GET /api/environments/{name}/health</c>.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ServiceHealthApiTests(PortalHost host)
{
    [Theory]
    [InlineData("backend", "fail-pull", @"^backend: image …/backend:fail-pull not found \(CannotPullContainerError\)$", "TaskFailedToStart")]
    [InlineData("backend", "fail-exit", @"^backend: container exited with code 1; last log line: Error: start-up failed: .+$", "EssentialContainerExited")]
    [InlineData("frontend", "fail-health", @"^frontend: health check on /health answered 404 \(Target\.ResponseCodeMismatch\)$", "ServiceSchedulerInitiated")]
    [InlineData("frontend", "fail-secret", @"^frontend: could not read secret …:orders/api \(ResourceInitializationError\)$", "TaskFailedToStart")]
    public async Task AFailedDeploysRevisionNamesTheRealCauseWithTheReadingBehindIt(string tier, string tag, string cause, string stopCode)
    {
        var name = PortalHost.UniqueName(tag);
        await host.SubmitAndApproveAsync(ServiceDiagnosisJobTests.Failing(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name }, tier, tag));
        await host.RevisionReachesAsync(name, 1, "Failed");

        var revision = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/1");
        var environment = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}");
        var health = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/health");

        var said = revision.GetProperty("cause").GetString();
        Assert.Matches(cause, said);
        Assert.StartsWith($"{said}. CloudFormation: ROLLBACK_COMPLETE: ", revision.GetProperty("statusReason").GetString());
        Assert.Equal(said, environment.GetProperty("revisions")[0].GetProperty("cause").GetString());
        var diagnosis = revision.GetProperty("diagnosis");
        Assert.Equal(said, diagnosis.GetProperty("cause").GetString());
        var service = diagnosis.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("component").GetString() == tier);
        Assert.False(service.GetProperty("healthy").GetBoolean());
        Assert.All(service.GetProperty("stoppedTasks").EnumerateArray(), t => Assert.Equal(stopCode, t.GetProperty("stopCode").GetString()));
        Assert.NotEmpty(service.GetProperty("events").EnumerateArray());
        // A create that rolled back leaves no stack standing: there is no health to read.
        Assert.Equal("NotDeployed", health.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ADeployedEnvironmentsHealthShowsEachServicesTasksAndTargets()
    {
        var name = await host.DeployedForAliceAsync("healthy");

        var health = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/health");

        Assert.Equal("Healthy", health.GetProperty("state").GetString());
        Assert.Equal("every service runs its desired tasks behind healthy targets", health.GetProperty("summary").GetString());
        var services = health.GetProperty("diagnosis").GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(["frontend", "backend"], services.Select(s => s.GetProperty("component").GetString()));
        Assert.All(services, s =>
        {
            Assert.Equal((2, 2), (s.GetProperty("running").GetInt32(), s.GetProperty("desired").GetInt32()));
            Assert.Equal((2, 2), (s.GetProperty("targets").GetProperty("healthy").GetInt32(), s.GetProperty("targets").GetProperty("total").GetInt32()));
        });
    }

    [Fact]
    public async Task HealthIsReadByEveryoneSignedInOnlyAndOfAKnownEnvironment()
    {
        var name = await host.RequestedByAliceAsync("health-access");

        using var anonymous = await host.Api(null).GetAsync($"/api/environments/{name}/health");
        using var unknown = await host.Api("alice").GetAsync("/api/environments/no-such-env/health");
        var byRole = new Dictionary<string, JsonElement>();
        foreach (var user in new[] { "alice", "bob", "dana" })
            byRole[user] = await host.Api(user).GetFromJsonAsync<JsonElement>($"/api/environments/{name}/health");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.All(byRole.Values, h => Assert.Equal("NotDeployed", h.GetProperty("state").GetString()));
    }
}
