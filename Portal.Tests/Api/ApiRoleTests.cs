using System.Net;

namespace Portal.Tests.Api;

/// <summary>Every endpoint, as every role and anonymously, answers with exactly the status the rules give.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
// SqliteOnly: who may call what is decided by the policies and the commands' rules before anything is stored; each
// command's storage runs on PostgreSQL in EnvironmentApiTests, LiveDeploymentApiTests and the approval and drift tests.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class ApiRoleTests(PortalHost host, ApiRoleTests.ReadOnlyEnvironment reads) : IClassFixture<ApiRoleTests.ReadOnlyEnvironment>
{
    public enum Endpoint
    {
        List,
        Get,
        Submit,
        Update,
        Destroy,
        GetRevision,
        Approve,
        Reject,
        Cancel,
        Events,
        EventStream,
        GetExpiry,
        SetExpiry,
        GetDrift,
        StartDrift,
        SandboxDrift,
    }

    private const string Anonymous = "anonymous";

    /// <summary>
    /// alice is an engineer (owns what she requests), bob and carol approvers, dana an admin. Everyone signed in reads;
    /// engineers and admins change; approvers and admins decide, never on their own requests. A drift check only reads
    /// the stack, so every role starts one; the sandbox's drift control changes the sandbox, so only admins use it.
    /// </summary>
    public static TheoryData<Endpoint, string, HttpStatusCode> Matrix()
    {
        var rows = new (Endpoint, HttpStatusCode Alice, HttpStatusCode Approver, HttpStatusCode Dana)[]
        {
            (Endpoint.List, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.Get, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.Submit, HttpStatusCode.Created, HttpStatusCode.Forbidden, HttpStatusCode.Created),
            (Endpoint.Update, HttpStatusCode.Accepted, HttpStatusCode.Forbidden, HttpStatusCode.Accepted),
            (Endpoint.Destroy, HttpStatusCode.Accepted, HttpStatusCode.Forbidden, HttpStatusCode.Accepted),
            (Endpoint.GetRevision, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.Approve, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.Reject, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.Cancel, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK),
            (Endpoint.Events, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.EventStream, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.GetExpiry, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (Endpoint.SetExpiry, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK),
            // No check ran yet on the fresh environment: nothing to show.
            (Endpoint.GetDrift, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent),
            (Endpoint.StartDrift, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted),
            (Endpoint.SandboxDrift, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NoContent),
        };
        var data = new TheoryData<Endpoint, string, HttpStatusCode>();
        foreach (var (endpoint, alice, approver, dana) in rows)
        {
            data.Add(endpoint, Anonymous, HttpStatusCode.Unauthorized);
            data.Add(endpoint, "alice", alice);
            data.Add(endpoint, "bob", approver);
            data.Add(endpoint, "carol", approver);
            data.Add(endpoint, "dana", dana);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EndpointAnswersEachRoleWithItsStatus(Endpoint endpoint, string user, HttpStatusCode expected)
    {
        // An environment owned by alice: deployed where a stack is needed, else awaiting approval. A case that may change
        // it gets its own; the reads share one, as they change nothing (a plan per case cost about a second each).
        var name = endpoint switch
        {
            Endpoint.Destroy or Endpoint.StartDrift or Endpoint.SandboxDrift => await host.DeployedForAliceAsync("roles"),
            Endpoint.List or Endpoint.Get or Endpoint.GetRevision or Endpoint.Events or Endpoint.EventStream or Endpoint.GetExpiry
                or Endpoint.GetDrift => await reads.NameAsync(host),
            _ => await host.RequestedByAliceAsync("roles"),
        };
        using var client = host.Api(user == Anonymous ? null : user);
        using var response = endpoint switch
        {
            Endpoint.List => await client.GetAsync("/api/environments"),
            Endpoint.Get => await client.GetAsync($"/api/environments/{name}"),
            Endpoint.Submit => await client.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(PortalHost.UniqueName("roles")))),
            Endpoint.Update => await client.PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, tag: "1.5.0"))),
            Endpoint.Destroy => await client.DeleteAsync($"/api/environments/{name}"),
            Endpoint.GetRevision => await client.GetAsync($"/api/environments/{name}/revisions/1"),
            Endpoint.Approve => await client.PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment("fine")),
            Endpoint.Reject => await client.PostAsync($"/api/environments/{name}/revisions/1/reject", ApiClient.Comment("too big")),
            Endpoint.Cancel => await client.PostAsync($"/api/environments/{name}/revisions/1/cancel", null),
            Endpoint.Events => await client.GetAsync($"/api/environments/{name}/events"),
            // The stream never ends by itself: its status line is the answer.
            Endpoint.EventStream => await client.GetAsync($"/api/environments/{name}/events/stream", HttpCompletionOption.ResponseHeadersRead),
            Endpoint.GetExpiry => await client.GetAsync($"/api/environments/{name}/expiry"),
            Endpoint.SetExpiry => await client.PutAsync($"/api/environments/{name}/expiry",
                ApiClient.Json($"{{\"expiresAt\": \"{DateTimeOffset.UtcNow.AddDays(7):O}\"}}")),
            Endpoint.GetDrift => await client.GetAsync($"/api/environments/{name}/drift"),
            Endpoint.StartDrift => await client.PostAsync($"/api/environments/{name}/drift", null),
            Endpoint.SandboxDrift => await client.PostAsync("/api/sandbox/drift", ApiClient.Json(
                $"{{\"stackName\": \"portal-{name}\", \"logicalId\": \"{await FrontendServiceAsync(name)}\", \"propertyPath\": \"/DesiredCount\", \"actualValue\": \"3\"}}")),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };

        Assert.Equal(expected, response.StatusCode);
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The one environment awaiting approval that the read cases share, requested by the first of them.</summary>
    public sealed class ReadOnlyEnvironment
    {
        private Task<string>? _name;

        public Task<string> NameAsync(PortalHost host) => _name ??= host.RequestedByAliceAsync("roles");
    }

    /// <summary>The logical id of the environment's frontend ECS service, read from its stored stack events.</summary>
    private async Task<string> FrontendServiceAsync(string name)
    {
        using var events = await host.Api("dana").GetAsync($"/api/environments/{name}/events");
        return (await events.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
            .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
    }
}
