using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;
using Portal.Sandbox;
using Portal.Tests.Environments;

namespace Portal.Tests.Api;

/// <summary>Requests against the portal's API as the test users, and what the tests read from the answers.</summary>
public static class ApiClient
{
    /// <summary>The orders-dev sample under another name, as API JSON.</summary>
    public static string SpecJson(string name, string tag = "1.4.2")
    {
        var sample = SpecSamples.Load(SpecSamples.OrdersDev);
        return EnvironmentSpecJson.Serialize(sample with
        {
            Name = name,
            Frontend = sample.Frontend with { Image = sample.Frontend.Image with { Tag = tag } },
        });
    }

    /// <summary>alice requests <paramref name="spec"/> and bob approves revision 1 once it awaits approval.</summary>
    public static async Task SubmitAndApproveAsync(this PortalHost host, EnvironmentSpec spec)
    {
        using var submitted = await host.Api("alice").PostAsync("/api/environments", Json(EnvironmentSpecJson.Serialize(spec)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await host.RevisionReachesAsync(spec.Name, 1, "AwaitingApproval");
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{spec.Name}/revisions/1/approve", Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Comment(string? comment) =>
        Json(JsonSerializer.Serialize(new Dictionary<string, string?> { ["comment"] = comment }));

    public static async Task<HttpResponseMessage> SubmitAsync(this PortalHost host, string user, string name) =>
        await host.Api(user).PostAsync("/api/environments", Json(SpecJson(name)));

    /// <summary>alice requests <paramref name="name"/>; once the plan job has planned it, revision 1 awaits approval.</summary>
    public static async Task<string> RequestedByAliceAsync(this PortalHost host, string prefix)
    {
        var name = PortalHost.UniqueName(prefix);
        using var response = await host.SubmitAsync("alice", name);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await host.RevisionReachesAsync(name, 1, "AwaitingApproval");
        return name;
    }

    /// <summary>alice requests it, bob approves, and the deploy job deploys it to the sandbox: a stack exists.</summary>
    public static async Task<string> DeployedForAliceAsync(this PortalHost host, string prefix)
    {
        var name = await host.RequestedByAliceAsync(prefix);
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await host.RevisionReachesAsync(name, 1, "Deployed");
        return name;
    }

    /// <summary>Waits (with a deadline) until the jobs have moved the revision to <paramref name="status"/>.</summary>
    public static Task RevisionReachesAsync(this PortalHost host, string name, int number, string status) => Poll.UntilAsync(
        async () =>
        {
            using var response = await host.Api("dana").GetAsync($"/api/environments/{name}/revisions/{number}");
            // A refused read is a bug in itself, not a status to wait past: say what the portal answered.
            Assert.True(response.IsSuccessStatusCode,
                $"GET revision {number} of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.JsonAsync()).GetProperty("status").GetString() ?? "";
        },
        last => last == status,
        async last => $"revision {number} of {name} is {last}, not {status}, after 60 s; jobs: {JobsSummary(host)}; {SandboxSummary(host)}" +
                      await PostgresSummaryAsync(host),
        TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

    /// <summary>What the host's Hangfire holds, for a failure message: a stuck revision is a job that did not run.</summary>
    private static string JobsSummary(PortalHost host)
    {
        var monitor = host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var statistics = monitor.GetStatistics();
        var processing = monitor.ProcessingJobs(0, 50).Select(j => $"{j.Value.Job?.Type.Name}.{j.Value.Job?.Method.Name} since {j.Value.StartedAt:HH:mm:ss}");
        return $"{statistics.Enqueued} enqueued, {statistics.Processing} processing, {statistics.Scheduled} scheduled, " +
               $"{statistics.Failed} failed, {statistics.Servers} servers; processing: {string.Join(", ", processing)}";
    }

    /// <summary>
    /// Where a plan or deploy can wait outside the database, for a failure message: the host's sandbox (paused by a
    /// test? which calls it has answered) and this process's one jsii runtime (a synth running or queued).
    /// </summary>
    private static string SandboxSummary(PortalHost host)
    {
        var synths = $"synths in this process: {TemplateSynthesizer.Waiting} waiting, {(TemplateSynthesizer.Running ? "one" : "none")} running";
        if (host.Services.GetService<SandboxCloudFormation>() is not { } sandbox)
            return synths;
        return $"sandbox {(sandbox.IsPaused ? "paused" : "not paused")} at time scale {sandbox.Options.TimeScale}, calls: " +
               string.Join(", ", sandbox.CallCounts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) + "; " + synths;
    }

    /// <summary>On PostgreSQL, the Hangfire queue, its locks and the database's sessions, for a failure message.</summary>
    private static async Task<string> PostgresSummaryAsync(PortalHost host)
    {
        if (host.Services.GetRequiredService<IConfiguration>().GetConnectionString("Portal") is not { Length: > 0 } connectionString)
            return "";
        var summary = new StringBuilder();
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (what, sql) in new[]
        {
            ("queue", "SELECT id, queue, jobid, fetchedat FROM hangfire.jobqueue ORDER BY id"),
            ("locks", "SELECT resource, acquired FROM hangfire.lock"),
            ("servers", "SELECT id, lastheartbeat FROM hangfire.server"),
            ("busy sessions", "SELECT state, wait_event_type, wait_event, now() - state_change, left(query, 120) FROM pg_stat_activity " +
                              "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"),
        })
        {
            summary.Append("\n").Append(what).Append(':');
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                summary.Append("\n  ").AppendJoin(" | ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue));
        }
        return summary.ToString();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The field paths of a problem's <c>errors</c>.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> FieldErrorsAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        return problem.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }
}
