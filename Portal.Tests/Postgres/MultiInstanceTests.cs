using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Postgres;

/// <summary>
/// The portal as a platform team runs it: two web processes that run no jobs and two worker processes, all on one
/// PostgreSQL database and one CloudFormation endpoint (the sandbox).
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait(Lanes.Category, Lanes.Postgres)]
public sealed class MultiInstanceTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Environments = 3;

    private SandboxServer _sandbox = null!;
    private readonly Chromium _chromium = new();

    public async Task InitializeAsync()
    {
        if (PostgresServer.Missing is not null) return;
        // A deploy takes a few seconds: long enough for a page to follow it.
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.02 }, CancellationToken.None);
        await _chromium.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (PostgresServer.Missing is not null) return;
        await _chromium.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [PostgresFact]
    public async Task EachJobRunsOnceAcrossTwoWorkersAndAPageOnEitherWebInstanceFollowsTheDeploy()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            [TestDatabase.ConnectionStringKey] = database,
            ["Jobs:RunServer"] = "false",
            ["Authentication:Mode"] = "Development",
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["Targets:sandbox:ServiceUrl"] = _sandbox.Url.ToString(),
            ["StackEvents:ActiveInterval"] = "00:00:00.100",
            ["StackEvents:QuietInterval"] = "00:00:00.300",
        };
        // All four start at once: they race to migrate the empty database and to install Hangfire's schema.
        using var firstWorker = WorkerProcess.Start(settings);
        using var secondWorker = WorkerProcess.Start(settings);
        var webs = await Task.WhenAll(PortalProcess.StartAsync(settings), PortalProcess.StartAsync(settings));
        using var a = webs[0];
        using var b = webs[1];

        var names = Enumerable.Range(0, Environments).Select(_ => PortalHost.UniqueName("fleet")).ToList();
        foreach (var name in names)
        {
            using var submitted = await a.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }
        foreach (var name in names)
            await Poll.UntilAsync(async () => await StatusAsync(b, name) == "AwaitingApproval", $"{name} planned by a worker, seen on web B");

        // Alice signs in on web A; the page she opens on web B reads A's cookie (shared data protection keys).
        var page = await _chromium.SignInAsync(a.BaseAddress, "alice", timeout: 60_000);
        await page.GotoAsync(new Uri(b.BaseAddress, $"environments/{names[0]}").ToString());
        await Chromium.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=environment-name]")).ToHaveTextAsync(names[0]);

        // Bob approves through web B; workers deploy; the open page on B follows without a reload.
        foreach (var name in names)
        {
            using var approved = await b.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await Assertions.Expect(page.Locator("[data-testid=deployment]")).ToHaveAttributeAsync("data-status", "Deployed", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=stack-status]")).ToHaveTextAsync("CREATE_COMPLETE");
        foreach (var name in names)
            await Poll.UntilAsync(async () => await StatusAsync(a, name) == "Deployed", $"{name} deployed, seen on web A");

        // Exactly once: one change set made and executed per environment, one Processing per Hangfire job, and every
        // event the stack raised stored once.
        Assert.Equal(Environments, _sandbox.CloudFormation.CallCount("CreateChangeSet"));
        Assert.Equal(Environments, _sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
        // A worker that starts while a revision is open re-queues it (start-up recovery), so there may be more jobs
        // than a plan and a deploy per environment: an extra one waits for the revision's claim (an advisory lock held
        // by the job working on it, CrossProcessClaimTests), then finds the work done and calls nothing.
        var processing = await ProcessingCountsAsync(database);
        Assert.True(processing.Count >= 2 * Environments, $"{processing.Count} jobs processed");
        Assert.All(processing, count => Assert.Equal(1, count));
        foreach (var name in names)
        {
            var raised = await _sandbox.EventsAsync($"portal-{name}");
            var stored = (await a.Api("dana").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events?after=0&limit=500"))
                .EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!).ToList();
            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.Equal(raised.Select(e => e.EventId).Order(), stored.Order());
        }
    }

    private static async Task<string?> StatusAsync(PortalProcess web, string name)
    {
        using var api = web.Api("dana");
        using var response = await api.GetAsync($"/api/environments/{name}/revisions/1");
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()
            : null;
    }

    /// <summary>For each Hangfire job, how many times a worker took it (its Processing states).</summary>
    private static async Task<List<long>> ProcessingCountsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing') FROM hangfire.job j", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new List<long>();
        while (await reader.ReadAsync()) counts.Add(reader.GetInt64(0));
        return counts;
    }
}
