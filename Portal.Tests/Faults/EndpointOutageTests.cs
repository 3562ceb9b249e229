using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Portal.Tests.Browser;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>CloudFormation stops answering for 30 s in the middle of a deploy that a separate worker runs.</summary>
[Trait(Lanes.Category, Lanes.Faults)]
// SqliteOnly: the CloudFormation client retrying through an outage; its storage is an ordinary deploy's.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class EndpointOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private SandboxServer _sandbox = null!;
    private readonly Chromium _chromium = new();
    private readonly string _root = TempFolder.New("outage");

    public async Task InitializeAsync()
    {
        // A create takes about 16 s: the outage starts while it runs, even on a loaded machine.
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 }, CancellationToken.None);
        await _chromium.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task APageOnTheWebHostSaysCloudFormationIsNotAnsweringWhileAWorkerRetriesThenTheDeployEndsDeployedWithEveryEventOnce()
    {
        var dataDirectory = Path.Combine(_root, "data");
        var settings = await PortalHost.SettingsAsync(dataDirectory, _sandbox.Url);
        // The portal's defaults for everything that decides how an outage looks: the client's 20 s attempt timeout and
        // 5 attempts, the watcher's 5 s quiet interval and slow-poll notice. Only the active poll interval is shortened.
        settings.Remove("StackEvents:QuietInterval");
        // The job runs in another process: what the page shows, it can only have read from the database.
        settings["Jobs:RunServer"] = "false";
        await using var web = PortalHost.OnData(settings);
        using var worker = WorkerProcess.Start(settings);
        await worker.ServingAsync(web);
        var name = PortalHost.UniqueName("outage");

        using var submitted = await web.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, name, 1) == RevisionStatus.AwaitingApproval,
            $"the plan by the worker\n{worker.Output}");
        var page = await OpenEnvironmentPageAsync(web, name);

        // The endpoint stops answering at the third poll of the running create: mid-deploy, events stored, more to come.
        var polls = 0;
        var outage = _sandbox.CloudFormation.PauseAtAsync(c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress && ++polls == 3);
        using var approved = await web.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await outage.WaitAsync(TimeSpan.FromSeconds(90));
        var down = Stopwatch.StartNew();

        var retrying = page.Locator("[data-testid=retrying]");
        await Assertions.Expect(retrying).ToContainTextAsync("CloudFormation is not answering; retrying",
            new() { Timeout = (float)Outage.TotalMilliseconds });
        var retryingAfter = down.Elapsed;
        var notice = await retrying.InnerTextAsync();
        Assert.True(down.Elapsed < Outage, "the outage was over before the page said the deploy was retrying");
        Assert.Equal(RevisionStatus.Deploying, await PortalData.StatusAsync(settings, name, 1));

        await Task.Delay(Outage > down.Elapsed ? Outage - down.Elapsed : TimeSpan.Zero); // the scenario: the endpoint stays silent for 30 s
        _sandbox.CloudFormation.Resume();
        await Assertions.Expect(page.Locator("[data-testid=deployment]")).ToHaveAttributeAsync("data-status", "Deployed", new() { Timeout = 90_000 });
        var finishedAfter = down.Elapsed;

        await Assertions.Expect(retrying).ToHaveCountAsync(0);
        var ledger = await EventLedger.ReadAsync(_sandbox, $"portal-{name}", settings, name);
        ledger.AssertEachEventStoredOnce();
        Assert.Equal(1, _sandbox.CloudFormation.CallCount("ExecuteChangeSet"));
        output.WriteLine($"the page said \"{notice}\" {retryingAfter.TotalSeconds:0.0} s into the outage; deployed " +
                         $"{(finishedAfter - Outage).TotalSeconds:0.0} s after it ended; {ledger.Stored.Count} events stored once");
    }

    /// <summary>Alice's signed-in browser on the environment's page, interactive (so it follows the deploy live).</summary>
    private async Task<IPage> OpenEnvironmentPageAsync(PortalHost web, string name)
    {
        var page = await _chromium.SignInAsync(web.BaseAddress, "alice", timeout: 30_000);
        await Chromium.GoToAsync(page, $"/environments/{name}");
        await Assertions.Expect(page.Locator("[data-testid=environment-name]")).ToHaveTextAsync(name);
        return page;
    }
}
