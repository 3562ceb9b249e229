using System.Diagnostics;
using System.Net;
using Portal.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>CloudFormation throttles half of all calls while ten environments are requested and deployed at once.</summary>
[Trait(Lanes.Category, Lanes.Faults)]
// SqliteOnly: the CloudFormation client backing off from throttling; its storage is an ordinary deploy's.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class ThrottlingStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Environments = 10;

    private SandboxServer _sandbox = null!;
    private readonly string _root = TempFolder.New("storm");

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.01, ThrottleRate = 0.5 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task TenEnvironmentsDeployAtOnceWhileHalfOfAllCallsAreThrottledAndAllEndDeployed()
    {
        var dataDirectory = Path.Combine(_root, "data");
        var settings = await PortalHost.SettingsAsync(dataDirectory, _sandbox.Url);
        await using var host = PortalHost.OnData(settings);
        var names = Enumerable.Range(1, Environments).Select(i => $"storm-{i:00}").ToList();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(names.Select(async name =>
        {
            using var submitted = await host.Api("alice").PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
            await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, name, 1) == RevisionStatus.AwaitingApproval,
                $"{name} to be planned", 240);
            using var approved = await host.Api("bob").PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment(null));
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, name, 1) == RevisionStatus.Deployed,
                $"{name} to be deployed", 240);
        }));

        var cfn = _sandbox.CloudFormation;
        cfn.ThrottleRate = 0; // the storm is over; the test's own reads must not be throttled
        Assert.Equal(Environments, cfn.CallCount("ExecuteChangeSet") - cfn.ThrottledCount("ExecuteChangeSet"));
        foreach (var name in names)
            (await EventLedger.ReadAsync(_sandbox, $"portal-{name}", settings, name)).AssertEachEventStoredOnce();
        var calls = cfn.CallCounts.Values.Sum();
        var throttled = cfn.CallCounts.Keys.Sum(cfn.ThrottledCount);
        output.WriteLine($"{Environments} deployed in {clock.Elapsed.TotalSeconds:0.0} s; {calls} CloudFormation calls, {throttled} throttled " +
                         $"({100.0 * throttled / calls:0}%); jobs retried by Hangfire: {await HangfireJobs.RetriesAsync(settings)}");
    }
}
