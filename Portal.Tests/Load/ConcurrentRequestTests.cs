using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Portal.Tests.Faults;
using Xunit.Abstractions;

namespace Portal.Tests.LoadTesting; // not "Load": tests elsewhere have methods of that name

/// <summary>Many users at once against one portal and its one SQLite database.</summary>
[Collection(SaturatingCollection.Name)]
[Trait(Lanes.Category, Lanes.Load)]
public sealed class ConcurrentRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Environments = 100;

    private static readonly TimeSpan ReadPause = TimeSpan.FromMilliseconds(100);

    private SandboxServer _sandbox = null!;
    private readonly string _root = TempFolder.New("load");
    private readonly ConcurrentBag<Answer> _answers = [];

    private sealed record Answer(string Request, HttpStatusCode Status, string Body);

    // No read budget: at this pace its burst of 10 refills in 2 ms, so calls of a hundred watchers that merely arrive in
    // the same millisecond would be throttled. The load on the portal's workflow is what this measures; the budget has
    // tests of its own, and the benchmark's account scenario runs a hundreds-of-deploys load against it.
    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.001, ReadBudget = { RatePerSecond = 0 } }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task AHundredConcurrentSubmissionsAndRacingApprovalsLoseNothingAndNeverFailAUser()
    {
        var dataDirectory = Path.Combine(_root, "data");
        var settings = await PortalHost.SettingsAsync(dataDirectory, _sandbox.Url);
        // One user stands for a hundred people here: the per-user limit and plan share are not what this test measures.
        settings["Submissions:PerUser"] = Environments.ToString(CultureInfo.InvariantCulture);
        settings["Submissions:PlansPerUser"] = Environments.ToString(CultureInfo.InvariantCulture);
        using var portal = await PortalProcess.StartAsync(settings);
        using var alice = portal.Api("alice");
        using var bob = portal.Api("bob");
        using var carol = portal.Api("carol");
        using var dana = portal.Api("dana");
        var names = Enumerable.Range(1, Environments).Select(i => $"load-{i:000}").ToList();
        var clock = Stopwatch.StartNew();

        // Readers keep the database busy the whole time, as open pages do: each reads about 10 times a second, as ten open
        // pages refreshing every second would.
        using var stopReading = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => ReadUntilAsync(dana, names, stopReading.Token)).ToList();

        await Task.WhenAll(names.Select(name => SendAsync($"submit {name}",
            () => alice.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name))))));
        var submitted = clock.Elapsed;

        // Each revision is approved as soon as it is planned, by two approvers at the same instant: exactly one may win.
        var approvals = new List<Task>();
        var approved = new HashSet<string>();
        var deployed = new HashSet<string>();
        await Poll.UntilAsync(async () =>
        {
            foreach (var (name, status) in await StatusesAsync(settings))
            {
                if (status == RevisionStatus.AwaitingApproval && approved.Add(name))
                    approvals.AddRange(new[] { "bob", "carol" }.Select(approver => SendAsync($"approve {name} as {approver}",
                        () => (approver == "bob" ? bob : carol).PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(approver)))));
                if (status == RevisionStatus.Deployed) deployed.Add(name);
                Assert.False(status is RevisionStatus.PlanFailed or RevisionStatus.Failed, $"{name} is {status}");
            }
            return deployed.Count;
        }, count => count >= Environments, async count => $"after 4 minutes {count} of {Environments} are deployed; the rest: " +
            string.Join(", ", (await StatusesAsync(settings)).Where(s => s.Value != RevisionStatus.Deployed).Select(s => $"{s.Key} {s.Value}")),
            TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(200));
        await Task.WhenAll(approvals);
        await stopReading.CancelAsync();
        await Task.WhenAll(readers);
        var settled = clock.Elapsed;

        var answers = _answers.ToList();
        var failures = answers.Where(a => (int)a.Status >= 500).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} answers failed, e.g. {failures.FirstOrDefault()}; the portal's errors:\n" +
            string.Join('\n', portal.Output.Split('\n').Where(line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal)).Take(40)));
        Assert.DoesNotContain(answers, a => a.Body.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        Assert.All(answers.Where(a => a.Request.StartsWith("submit ", StringComparison.Ordinal)), a => Assert.Equal(HttpStatusCode.Created, a.Status));
        foreach (var name in names)
        {
            var decisions = answers.Where(a => a.Request.StartsWith($"approve {name} ", StringComparison.Ordinal)).Select(a => a.Status).Order().ToList();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], decisions);
        }

        // No write lost: every environment, its one revision with its one approval, deployed once.
        var listed = await dana.GetFromJsonAsync<JsonElement>("/api/environments");
        Assert.Superset(names.ToHashSet(), listed.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToHashSet());
        await using (var db = PortalData.Open(settings))
        {
            var revisions = await db.Revisions.AsNoTracking().Include(r => r.Approvals).Include(r => r.Environment).ToListAsync();
            Assert.Equal(Environments, revisions.Count);
            Assert.All(revisions, r =>
            {
                Assert.Equal(1, r.Number);
                Assert.Equal(RevisionStatus.Deployed, r.Status);
                Assert.Single(r.Approvals);
            });
        }
        Assert.Equal(Environments, _sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
        var retries = await HangfireJobs.RetriesAsync(settings);
        var locked = portal.Output.Split('\n').Count(line => line.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        output.WriteLine($"{Environments} submissions answered in {submitted.TotalSeconds:0.0} s; all deployed after {settled.TotalSeconds:0.0} s; " +
                         $"{answers.Count} API requests ({answers.Count(a => a.Request.StartsWith("read", StringComparison.Ordinal))} reads), " +
                         $"none 5xx; jobs retried by Hangfire: {retries}; log lines with \"database is locked\": {locked}");
    }

    private async Task SendAsync(string request, Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        _answers.Add(new Answer(request, response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    /// <summary>
    /// The environment list and one environment's page data, over and over, until told to stop. A short pause between
    /// reads: without one, four readers took a whole core from the deploys they wait for (44,000 reads in one run).
    /// </summary>
    private async Task ReadUntilAsync(HttpClient api, IReadOnlyList<string> names, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var name = names[Random.Shared.Next(names.Count)];
            await SendAsync("read list", () => api.GetAsync("/api/environments"));
            await SendAsync($"read {name}", () => api.GetAsync($"/api/environments/{name}"));
            await Task.Delay(ReadPause, CancellationToken.None);
        }
    }

    private static async Task<Dictionary<string, RevisionStatus>> StatusesAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var db = PortalData.Open(settings);
        return await db.Revisions.AsNoTracking().Where(r => r.Number == 1)
            .Select(r => new { r.Environment.Name, r.Status }).ToDictionaryAsync(r => r.Name, r => r.Status);
    }
}
