using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Tests.Api;
using Portal.Tests.Postgres;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Hosting;

/// <summary>
/// The jobs across host boundaries: a host that stops mid-deploy, jobs run by the Portal.Jobs worker, and two hosts in one
/// process, each running its jobs with its own services.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class JobHostingTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private readonly string _dataDirectory = Path.Combine(TempFolder.New("jobs"), "data");

    public async Task InitializeAsync() =>
        // Slow enough that a deploy is still running when the host stops (about 10 s at this scale).
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(Path.GetDirectoryName(_dataDirectory)!);
    }

    [Fact]
    public async Task AHostStoppedMidDeployFinishesItAfterRestartWithEveryEventOnce()
    {
        var settings = await PortalHost.SettingsAsync(_dataDirectory, _sandbox.Url);
        var name = PortalHost.UniqueName("restart");
        await using (var first = PortalHost.OnData(settings))
        {
            await SubmitAndApproveAsync(first, name);
            await Poll.UntilAsync(async () => (await EventsAsync(first, name)).GetArrayLength() >= 10, "events stored before the stop");
        }

        await using var second = PortalHost.OnData(settings);
        await Poll.UntilAsync(async () => await StatusAsync(second, name) == "Deployed", "the deploy finished after the restart");

        var events = await EventsAsync(second, name);
        var ids = events.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("CREATE_COMPLETE", events[events.GetArrayLength() - 1].GetProperty("resourceStatus").GetString());
        Assert.Equal(await _sandbox.CountEventsAsync($"portal-{name}"), ids.Count);
        Assert.Equal(1, _sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
    }

    [Fact]
    public void AHostActivatesItsJobsWithItsOwnServicesWhicheverHostConfiguredHangfireLast()
    {
        ServiceProvider Host(string name)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [DatabaseConfiguration.DataDirKey] = Path.Combine(_dataDirectory, name),
            }).Build();
            return new ServiceCollection().AddLogging()
                .AddPortalInfra(configuration).AddPortalWorkflow(configuration).AddPortalJobs(configuration)
                .BuildServiceProvider();
        }
        using var first = Host("first");
        using var second = Host("second");
        // Each configures Hangfire's process-wide defaults as it starts: the second one last.
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        var scope = first.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
        var storage = scope.Resolve(typeof(JobStorage));
        scope.Dispose();

        Assert.Same(first.GetRequiredService<JobStorage>(), storage);
    }

    [Fact]
    public async Task AnEventStreamOnTheWebHostDeliversTheEventsASeparateWorkerStoresBeforeTheDeployEnds()
    {
        var settings = await PortalHost.SettingsAsync(_dataDirectory, _sandbox.Url);
        settings["Jobs:RunServer"] = "false";
        await using var web = PortalHost.OnData(settings);
        using var worker = WorkerProcess.Start(settings);
        await worker.ServingAsync(web);

        await StreamFollowsTheDeployAsync(web, worker);
    }

    [PostgresPassFact]
    public async Task ANotifyFromTheWorkerWakesTheWebHostsEventStreamLongBeforeItsCatchUp()
    {
        var settings = await PortalHost.SettingsAsync(_dataDirectory, _sandbox.Url);
        settings["Jobs:RunServer"] = "false";
        // The web host re-reads the database only once an hour: within the test's deadlines, only NOTIFY can wake it.
        settings["LiveEvents:CatchUpInterval"] = "01:00:00";
        await using var web = PortalHost.OnData(settings);
        using var worker = WorkerProcess.Start(settings);
        await worker.ServingAsync(web);

        await StreamFollowsTheDeployAsync(web, worker);
    }

    /// <summary>
    /// A stream opened on <paramref name="web"/> before the deploy follows it: while CloudFormation is paused mid-deploy
    /// (the deploy cannot end), the stream has sent events stored after it opened; then every event once, and Deployed.
    /// </summary>
    private async Task StreamFollowsTheDeployAsync(PortalHost web, WorkerProcess worker)
    {
        var name = PortalHost.UniqueName("live");
        using var submitted = await web.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await Poll.UntilAsync(async () => await StatusAsync(web, name) == "AwaitingApproval", $"the plan by the worker\n{worker.Output}");
        // Nothing is stored yet: every stack event this stream sends, it learnt of while following.
        using var response = await web.Api("carol").GetAsync($"/api/environments/{name}/events/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();

        var polls = 0;
        var paused = _sandbox.CloudFormation.PauseAtAsync(c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress && ++polls == 3);
        using var approved = await web.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await paused.WaitAsync(TimeSpan.FromSeconds(90));
        IReadOnlyList<SseItem<JsonElement>> streamed;
        try
        {
            // One read to the end (a second parser would lose what the first buffered). The first stack event comes
            // while CloudFormation is still paused, so before the deploy can end; only then does the deploy go on.
            streamed = await ServerSentEvents.ReadUntilAsync(stream, item =>
            {
                if (item.IsStackEvent()) _sandbox.CloudFormation.Resume();
                return item.EventType == "status" && item.Data.GetProperty("revisionStatus").GetString() == "Deployed";
            }, TimeSpan.FromSeconds(150));
        }
        finally
        {
            _sandbox.CloudFormation.Resume();
        }

        var stored = await EventsAsync(web, name);
        Assert.Equal(stored.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()),
            streamed.Where(i => i.IsStackEvent()).Select(i => i.Data.GetProperty("eventId").GetString()));
    }

    [Fact]
    public async Task AHostKeepsRunningJobsAfterAnotherHostInTheSameProcessStops()
    {
        // Hangfire's log provider is process-wide: the second host sets it, then stops and disposes its loggers.
        // On PostgreSQL (the second test pass) every job the first host fetched afterwards used to stay fetched and
        // never ran (HangfireLogProvider).
        await using var first = PortalHost.OnData(await PortalHost.SettingsAsync(_dataDirectory, _sandbox.Url));
        var other = Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "other");
        await using (var second = PortalHost.OnData(await PortalHost.SettingsAsync(other, _sandbox.Url)))
        {
            await SubmitAndApproveAsync(second, PortalHost.UniqueName("second"));
        }

        var name = PortalHost.UniqueName("first");
        await SubmitAndApproveAsync(first, name);
        await Poll.UntilAsync(async () => await StatusAsync(first, name) == "Deployed", "the first host's deploy");
    }

    private static async Task SubmitAndApproveAsync(PortalHost host, string name)
    {
        using var submitted = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await Poll.UntilAsync(async () => await StatusAsync(host, name) == "AwaitingApproval", "the plan");
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    private static async Task<string?> StatusAsync(PortalHost host, string name) =>
        (await host.Api("dana").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/1")).GetProperty("status").GetString();

    private static async Task<JsonElement> EventsAsync(PortalHost host, string name) =>
        await host.Api("dana").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/events?after=0&limit=500");
}

/// <summary>A test of what only PostgreSQL does (LISTEN/NOTIFY): it runs in the PostgreSQL pass (<c>PORTAL_TEST_DATABASE=Postgres</c>).</summary>
public sealed class PostgresPassFactAttribute : FactAttribute
{
    public PostgresPassFactAttribute()
    {
        if (!TestDatabase.IsPostgres) Skip = "PostgreSQL only: runs in scripts/test.sh's PostgreSQL pass (PORTAL_TEST_DATABASE=Postgres)";
    }
}
