using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Web;

namespace Portal.Tests.Api;

/// <summary>
/// What a client follows a deployment with: the revision's plan as an object, the stored stack events by cursor,
/// the Server-Sent Events stream (live, resumable) and cancelling a revision or a running update.
/// </summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class LiveDeploymentApiTests(PortalHost host)
{
    private static readonly TimeSpan StreamDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ARevisionCarriesItsPlanAsAnObjectWithChangesAndGuardrail()
    {
        var name = await host.RequestedByAliceAsync("plan");

        var revision = await host.Api("bob").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/1");

        Assert.False(revision.TryGetProperty("planJson", out _));
        var plan = revision.GetProperty("plan");
        Assert.Equal("CREATE", plan.GetProperty("operation").GetString());
        Assert.False(plan.GetProperty("noChanges").GetBoolean());
        var changes = plan.GetProperty("changes").EnumerateArray().ToList();
        Assert.True(changes.Count > 40, $"a create adds every resource, got {changes.Count}");
        Assert.All(changes, c => Assert.Equal("Add", c.GetProperty("action").GetString()));
        Assert.Contains(changes, c => c.GetProperty("type").GetString() == "AWS::ECS::Service"
                                      && c.GetProperty("logicalId").GetString()!.StartsWith("FrontendService", StringComparison.Ordinal));
        var guardrail = plan.GetProperty("guardrail");
        Assert.True(guardrail.GetProperty("passed").GetBoolean());
        Assert.Empty(guardrail.GetProperty("findings").EnumerateArray());
        Assert.True(plan.GetProperty("resourceCounts").GetProperty("AWS::ECS::Service").GetInt32() == 2);
    }

    [Fact]
    public async Task AnUpdatesPlanListsOnlyWhatChangesWithTheReplacementAndItsCause()
    {
        var name = await host.DeployedForAliceAsync("replan");
        using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0")));
        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        await host.RevisionReachesAsync(name, 2, "AwaitingApproval");

        var plan = (await host.Api("bob").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/2")).GetProperty("plan");

        Assert.Equal("UPDATE", plan.GetProperty("operation").GetString());
        var changes = plan.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("type").GetString()!);
        Assert.Equal(["AWS::ECS::Service", "AWS::ECS::TaskDefinition"], changes.Keys.Order());
        var taskDefinition = changes["AWS::ECS::TaskDefinition"];
        Assert.StartsWith("FrontendTask", taskDefinition.GetProperty("logicalId").GetString());
        Assert.Equal("Modify", taskDefinition.GetProperty("action").GetString());
        Assert.Equal("True", taskDefinition.GetProperty("replacement").GetString());
        Assert.Contains("ContainerDefinitions", taskDefinition.GetProperty("replacementCauses").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task EventsArePagedByIdAfterACursorOldestFirst()
    {
        var name = await host.DeployedForAliceAsync("events");
        using var client = host.Api("carol");

        var all = await client.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events");
        var page = await client.GetFromJsonAsync<JsonElement>(
            $"/api/environments/{name}/events?after={all[9].GetProperty("id").GetInt64()}&limit=5");

        var ids = all.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var last = all[all.GetArrayLength() - 1];
        Assert.Equal("AWS::CloudFormation::Stack", last.GetProperty("resourceType").GetString());
        Assert.Equal("CREATE_COMPLETE", last.GetProperty("resourceStatus").GetString());
        Assert.Equal(1, last.GetProperty("revisionNumber").GetInt32());
        Assert.Equal(ids.Skip(10).Take(5), page.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task BadCursorsAndLimitsAreRefusedNamingTheField()
    {
        var name = await host.RequestedByAliceAsync("cursor");
        using var client = host.Api("alice");

        using var badAfter = await client.GetAsync($"/api/environments/{name}/events?after=yesterday");
        using var badLimit = await client.GetAsync($"/api/environments/{name}/events?limit=501");
        using var badLastEventId = new HttpRequestMessage(HttpMethod.Get, $"/api/environments/{name}/events/stream");
        badLastEventId.Headers.Add("Last-Event-ID", "-3");
        using var badResume = await client.SendAsync(badLastEventId, HttpCompletionOption.ResponseHeadersRead);
        using var unknown = await client.GetAsync("/api/environments/no-such-env/events");
        using var unknownStream = await client.GetAsync("/api/environments/no-such-env/events/stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(["after"], (await badAfter.FieldErrorsAsync()).Keys);
        Assert.Equal(["limit"], (await badLimit.FieldErrorsAsync()).Keys);
        Assert.Equal(["Last-Event-ID"], (await badResume.FieldErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownStream.StatusCode);
    }

    [Fact]
    public async Task TheStreamDeliversEveryEventLiveAndAStatusWhenTheDeployEnds()
    {
        var name = await host.RequestedByAliceAsync("stream");
        using var client = host.Api("carol");
        using var response = await client.GetAsync($"/api/environments/{name}/events/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();

        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var items = await ServerSentEvents.ReadUntilAsync(stream,
            item => item.EventType == "status" && item.Data.GetProperty("revisionStatus").GetString() == "Deployed", StreamDeadline);

        var streamed = items.Where(i => i.IsStackEvent()).ToList();
        Assert.All(streamed, e => Assert.Equal(e.EventId, e.Data.GetProperty("id").GetInt64().ToString()));
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events");
        Assert.Equal(stored.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()),
            streamed.Select(e => e.Data.GetProperty("eventId").GetString()));
        Assert.Equal("CREATE_COMPLETE", streamed[^1].Data.GetProperty("resourceStatus").GetString());
        // A status message is sent when something changed, never twice the same.
        var statuses = items.Where(i => i.EventType == "status").Select(i => i.Data.GetRawText()).ToList();
        Assert.All(statuses.Zip(statuses.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Equal("Deployed", items[^1].Data.GetProperty("environmentStatus").GetString());
        Assert.Equal(1, items[^1].Data.GetProperty("revisionNumber").GetInt32());
    }

    [Fact]
    public async Task AStreamResumedWithLastEventIdSendsOnlyLaterEvents()
    {
        var name = await host.DeployedForAliceAsync("resume");
        using var client = host.Api("alice");
        var stored = (await client.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events")).EnumerateArray().ToList();
        var seen = stored[stored.Count / 2].GetProperty("id").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/environments/{name}/events/stream?after=0");
        request.Headers.Add("Last-Event-ID", seen.ToString());
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var lastId = stored[^1].GetProperty("id").GetInt64().ToString();
        var items = await ServerSentEvents.ReadUntilAsync(stream, item => item.EventId == lastId, StreamDeadline);

        Assert.Equal(
            stored.Select(e => e.GetProperty("id").GetInt64()).Where(id => id > seen).Select(id => id.ToString()),
            items.Where(i => i.IsStackEvent()).Select(i => i.EventId));
    }

    [Fact]
    public async Task CancelWithdrawsARevisionThatIsNotDeployingYet()
    {
        var name = await host.RequestedByAliceAsync("withdraw");

        using var cancelled = await host.Api("alice").PostAsync($"/api/environments/{name}/revisions/1/cancel", null);
        using var again = await host.Api("alice").PostAsync($"/api/environments/{name}/revisions/1/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var revision = await cancelled.JsonAsync();
        Assert.Equal("Cancelled", revision.GetProperty("status").GetString());
        Assert.Equal("cancelled by alice", revision.GetProperty("statusReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task CancelStopsADeployingUpdateAndCloudFormationRollsItBack()
    {
        var name = await host.DeployedForAliceAsync("cancel");
        var afterCreate = (await host.Api("alice").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events"))
            .EnumerateArray().Last().GetProperty("id").GetInt64();

        HttpResponseMessage cancelled;
        // Slow enough that the update is still running when the cancel arrives; set before the plan, because the
        // sandbox computes a change set's readiness at the pace of the moment.
        using (SandboxPace.Set(host, 0.2))
        {
            using var update = await host.Api("alice").PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0")));
            await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
            using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/2/approve", ApiClient.Comment(null));
            using var response = await host.Api("carol").GetAsync($"/api/environments/{name}/events/stream?after={afterCreate}", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await ServerSentEvents.ReadUntilAsync(stream, item => item.IsStackEvent()
                && item.Data.GetProperty("resourceType").GetString() == "AWS::CloudFormation::Stack"
                && item.Data.GetProperty("resourceStatus").GetString() == "UPDATE_IN_PROGRESS", StreamDeadline);
            cancelled = await host.Api("alice").PostAsync($"/api/environments/{name}/revisions/2/cancel", null);
        }

        using (cancelled)
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
            Assert.Equal($"/api/environments/{name}/revisions/2", cancelled.Headers.Location?.OriginalString);
        }
        await host.RevisionReachesAsync(name, 2, "Failed");
        var revision = await host.Api("alice").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/2");
        Assert.StartsWith("UPDATE_ROLLBACK_COMPLETE", revision.GetProperty("statusReason").GetString());
        // Rolled back to revision 1, which the stack serves again: the environment is still Deployed, on revision 1.
        var environment = (await host.Api("alice").GetFromJsonAsync<JsonElement>($"/api/environments/{name}")).GetProperty("environment");
        Assert.Equal(("Deployed", 1), (environment.GetProperty("status").GetString(), environment.GetProperty("deployedRevisionNumber").GetInt32()));
        using var tooLate = await host.Api("alice").PostAsync($"/api/environments/{name}/revisions/2/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
    }
}
