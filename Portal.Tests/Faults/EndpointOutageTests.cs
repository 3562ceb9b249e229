using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.Deployments;
using Portal.Infra.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Tests.Api;
using Portal.Tests.Hosting;
using Portal.Tests.Web;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>CloudFormation stops answering for 30 s in the middle of a deploy.</summary>
// Hangfire keeps process-wide state (JobStorage.Current): every test that builds the job services runs in the Host collection.
[Collection(Portal.Tests.Web.HostCollection.Name)]
public sealed class EndpointOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private SandboxServer _sandbox = null!;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "portal-tests", "outage-" + Guid.NewGuid().ToString("n"));

    public async Task InitializeAsync() =>
        // A create takes about 16 s: the outage starts while it runs, even on a loaded machine.
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task The_watcher_says_it_is_retrying_during_an_outage_then_resumes_and_the_deploy_ends_deployed_with_every_event_once()
    {
        var dataDirectory = Path.Combine(_root, "data");
        var settings = await SeparateHost.SettingsAsync(dataDirectory, _sandbox.Url);
        // The portal's defaults for everything that decides how an outage looks: the client's 20 s attempt timeout and
        // 5 attempts, the watcher's 5 s quiet interval and slow-poll notice. Only the active poll interval is shortened.
        settings.Remove("StackEvents:QuietInterval");
        await using var host = new SeparateHost(settings).Start();
        var feed = host.Services.GetRequiredService<StackEventFeed>();
        var name = PortalHost.UniqueName("outage");

        using var submitted = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, name, 1) == RevisionStatus.AwaitingApproval, "the plan");
        // The endpoint stops answering at the third poll of the running create: mid-deploy, events stored, more to come.
        var polls = 0;
        var outage = _sandbox.CloudFormation.PauseAtAsync(c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress && ++polls == 3);
        using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await outage.WaitAsync(TimeSpan.FromSeconds(90));
        var down = Stopwatch.StartNew();

        await Poll.UntilAsync(() => Task.FromResult(feed.Activity(name)?.Retrying is not null), "the deploy to report that it is retrying",
            (int)Outage.TotalSeconds);
        var retryingAfter = down.Elapsed;
        var retrying = feed.Activity(name)!.Retrying;
        Assert.True(down.Elapsed < Outage, "the outage was over before the deploy said it was retrying");
        Assert.Equal(RevisionStatus.Deploying, await PortalData.StatusAsync(settings, name, 1));

        await Task.Delay(Outage > down.Elapsed ? Outage - down.Elapsed : TimeSpan.Zero); // the scenario: the endpoint stays silent for 30 s
        _sandbox.CloudFormation.Resume();
        await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, name, 1) == RevisionStatus.Deployed, "the deploy to finish");
        var finishedAfter = down.Elapsed;

        // The job clears its activity just after it saved the revision as deployed: wait for that, not for a status read.
        await Poll.UntilAsync(() => Task.FromResult(feed.Activity(name) is null), "the deploy's activity to be cleared", 30);
        var ledger = await EventLedger.ReadAsync(_sandbox, $"portal-{name}", settings, name);
        ledger.AssertEachEventStoredOnce();
        Assert.Equal(1, _sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
        output.WriteLine($"retrying reported {retryingAfter.TotalSeconds:0.0} s into the outage (\"{retrying}\"); deployed " +
                         $"{(finishedAfter - Outage).TotalSeconds:0.0} s after it ended; {ledger.Stored.Count} events stored once");
    }
}
