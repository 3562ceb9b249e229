using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Sandbox;
using Portal.Tests.Web;

namespace Portal.Tests.Api;

/// <summary>
/// What API clients rely on stays put: the status code and JSON shape (field names and kinds) of every main answer
/// along one environment's life, and what the OpenAPI document promises. Both are compared with the files in
/// Api/Contract; set <c>PORTAL_API_CONTRACT_WRITE=1</c> to rewrite them after a deliberate change, and review the diff.
/// </summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Api")]
public sealed class ApiContractTests(PortalHost host)
{
    /// <summary>Fields an answer carries or not depending on how far the jobs got when it was read.</summary>
    private static readonly HashSet<string> JobTimed =
    [
        "changeSetId", "changeSetName", "plan", "statusReason", "deployStartedAt", "finishedAt", "predictedDuration", "actualDuration",
        "eta", "retrying",
    ];

    [Fact]
    public async Task EveryAnswerAlongAnEnvironmentsLifeKeepsItsStatusAndShape()
    {
        var answers = new StringBuilder();
        var name = PortalHost.UniqueName("contract");
        using var alice = host.Api("alice");
        using var bob = host.Api("bob");
        var revision = $"/api/environments/{name}/revisions";

        await RecordAsync(answers, "submit", await host.SubmitAsync("alice", name), JobTimed);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");
        await RecordAsync(answers, "revision awaiting approval", await alice.GetAsync($"{revision}/1"));
        await RecordAsync(answers, "approve", await bob.PostAsync($"{revision}/1/approve", ApiClient.Comment("ship it")), JobTimed);
        await host.RevisionReachesAsync(name, 1, "Deployed");
        await RecordAsync(answers, "revision deployed", await alice.GetAsync($"{revision}/1"));
        await RecordAsync(answers, "environment", await alice.GetAsync($"/api/environments/{name}"));
        await RecordAsync(answers, "list (this environment)", await alice.GetAsync("/api/environments"),
            select: list => list.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name));
        await RecordAsync(answers, "events", await alice.GetAsync($"/api/environments/{name}/events"));

        await RecordAsync(answers, "update", await alice.PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0"))), JobTimed);
        await host.RevisionReachesAsync(name, 2, "AwaitingApproval");
        await RecordAsync(answers, "update awaiting approval", await alice.GetAsync($"{revision}/2"));
        await RecordAsync(answers, "reject", await bob.PostAsync($"{revision}/2/reject", ApiClient.Comment("not this week")));
        await RecordAsync(answers, "destroy", await alice.DeleteAsync($"/api/environments/{name}"), JobTimed);
        await host.RevisionReachesAsync(name, 3, "AwaitingApproval");
        await RecordAsync(answers, "destroy awaiting approval", await alice.GetAsync($"{revision}/3"));
        await RecordAsync(answers, "withdraw", await alice.PostAsync($"{revision}/3/cancel", null));

        var events = await (await alice.GetAsync($"/api/environments/{name}/events")).JsonAsync();
        var service = events.EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
            .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
        host.Services.GetRequiredService<SandboxCloudFormation>().Drift($"portal-{name}", service, "/DesiredCount", "9");
        await RecordAsync(answers, "drift started", await bob.PostAsync($"/api/environments/{name}/drift", null));
        await DriftFinishedAsync(bob, name);
        await RecordAsync(answers, "drift", await bob.GetAsync($"/api/environments/{name}/drift"));

        await RecordAsync(answers, "expiry (none)", await alice.GetAsync($"/api/environments/{name}/expiry"));
        var expiresAt = JsonSerializer.Serialize(new { expiresAt = DateTimeOffset.UtcNow.AddDays(2) });
        await RecordAsync(answers, "expiry set", await alice.PutAsync($"/api/environments/{name}/expiry", ApiClient.Json(expiresAt)));
        await RecordAsync(answers, "environment after all that", await alice.GetAsync($"/api/environments/{name}"));

        Compare("answers.txt", answers.ToString());
    }

    [Fact]
    public async Task TheOpenApiDocumentPromisesTheSameContract()
    {
        using var response = await host.Api(null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Compare("openapi.json", OpenApiContract.Of(await response.JsonAsync()));
    }

    private static async Task RecordAsync(
        StringBuilder answers, string what, HttpResponseMessage response, IReadOnlySet<string>? ignored = null,
        Func<JsonElement, JsonElement>? select = null)
    {
        using (response)
        {
            answers.Append("## ").AppendLine(what).Append("status: ").AppendLine(((int)response.StatusCode).ToString());
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var json = await response.JsonAsync();
            foreach (var line in JsonShape.Of(select is null ? json : select(json), ignored)) answers.AppendLine(line);
        }
    }

    private static async Task DriftFinishedAsync(HttpClient client, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await (await client.GetAsync($"/api/environments/{name}/drift")).JsonAsync()).GetProperty("status").GetString() == "Running")
        {
            Assert.True(DateTime.UtcNow < deadline, "the drift check is still running after 60 s");
            await Task.Delay(100);
        }
    }

    private static void Compare(string file, string actual, [CallerFilePath] string source = "")
    {
        if (Environment.GetEnvironmentVariable("PORTAL_API_CONTRACT_WRITE") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(source)!, "Contract", file), actual);
            return;
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Contract", file));
        Assert.Equal(Lines(expected), Lines(actual));
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
