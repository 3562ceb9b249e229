using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Portal.Tests.Sandbox;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>Where the portal process is killed (SIGKILL) during a deploy.</summary>
public enum CrashPoint
{
    /// <summary>The plan job asked for the change set; CloudFormation has not acted on it.</summary>
    BeforeChangeSetExists,

    /// <summary>CloudFormation created the change set; the portal never heard back.</summary>
    WhileChangeSetIsCreated,

    /// <summary>Approved and deploying, ExecuteChangeSet sent but not acted on.</summary>
    AfterApprovalBeforeExecute,

    /// <summary>CloudFormation executes the change set; the portal never heard back.</summary>
    DuringExecute,

    /// <summary>Mid-deploy: some events stored, the next poll not answered yet.</summary>
    BetweenEventPolls,

    /// <summary>The stack finished and the portal saw it; its last poll is not answered yet.</summary>
    DuringFinalPoll,

    /// <summary>A destroy: CloudFormation took DeleteStack, and finishes the delete while the portal is down.</summary>
    DuringDestroy,
}

/// <summary>What one crash case saw; the test asserts on it.</summary>
public sealed record CrashReport(
    CrashPoint Point,
    string Environment,
    RevisionStatus? StatusAtKill,
    int EventsStoredAtKill,
    IReadOnlyList<string> RevisionStatuses,
    string EnvironmentStatus,
    EventLedger Events,
    long ExecuteChangeSetCalls,
    long DeleteStackCalls,
    int OrphanedJobsRunAgain,
    TimeSpan Duration,
    TimeSpan RestartToSettled,
    IReadOnlyList<string> Timeline);

/// <summary>
/// Runs every crash case at once when the test class starts, each with its own sandbox (outside the portal, so the
/// stacks survive it), data folder and portal processes, so the matrix takes about as long as its slowest case.
/// </summary>
public sealed class CrashMatrix : IAsyncLifetime
{
    private readonly Dictionary<CrashPoint, Task<CrashReport>> _runs = [];

    public Task InitializeAsync()
    {
        foreach (var point in Enum.GetValues<CrashPoint>())
            _runs[point] = Task.Run(() => new CrashCase(point).RunAsync());
        return Task.CompletedTask;
    }

    public Task<CrashReport> ReportAsync(CrashPoint point) => _runs[point];

    public async Task DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_runs.Values);
        }
        catch
        {
            // each test reports its own case's failure
        }
    }
}

[Collection(SaturatingCollection.Name)]
[Trait(Lanes.Category, Lanes.Faults)]
public sealed class CrashMatrixTests(CrashMatrix matrix, ITestOutputHelper output) : IClassFixture<CrashMatrix>
{
    [Theory]
    [InlineData(CrashPoint.BeforeChangeSetExists)]
    [InlineData(CrashPoint.WhileChangeSetIsCreated)]
    [InlineData(CrashPoint.AfterApprovalBeforeExecute)]
    [InlineData(CrashPoint.DuringExecute)]
    [InlineData(CrashPoint.BetweenEventPolls)]
    [InlineData(CrashPoint.DuringFinalPoll)]
    [InlineData(CrashPoint.DuringDestroy)]
    public async Task APortalKilledMidDeployFinishesAfterRestartWithEachEventOnceAndOneExecute(CrashPoint point)
    {
        var report = await matrix.ReportAsync(point);
        output.WriteLine($"{point}: {report.Duration.TotalSeconds:0.0} s in all, {report.RestartToSettled.TotalSeconds:0.0} s from restart to " +
                         $"settled; at the kill {report.StatusAtKill} with {report.EventsStoredAtKill} of {report.Events.Raised.Count} events stored; " +
                         $"{report.OrphanedJobsRunAgain} orphaned job(s) run again\n" + string.Join("\n", report.Timeline));

        var destroy = point == CrashPoint.DuringDestroy;
        Assert.Equal(destroy ? ["Deployed", "Deployed"] : ["Deployed"], report.RevisionStatuses);
        Assert.Equal(destroy ? "Destroyed" : "Deployed", report.EnvironmentStatus);
        Assert.Equal(1, report.ExecuteChangeSetCalls);
        Assert.Equal(destroy ? 1 : 0, report.DeleteStackCalls);
        report.Events.AssertEachEventStoredOnce();

        // The kill hit the point it names.
        Assert.Equal(point switch
        {
            CrashPoint.BeforeChangeSetExists or CrashPoint.WhileChangeSetIsCreated => RevisionStatus.Planning,
            _ => RevisionStatus.Deploying,
        }, report.StatusAtKill);
        if (point is CrashPoint.BetweenEventPolls)
            Assert.InRange(report.EventsStoredAtKill, 1, report.Events.Raised.Count - 1);
    }
}

/// <summary>One crash case: deploy through the API, kill at the point, restart on the same data, let it finish.</summary>
internal sealed class CrashCase(CrashPoint point)
{
    private readonly string _name = "crash-" + point.ToString().ToLowerInvariant()[..Math.Min(20, point.ToString().Length)];
    private readonly string _root = TempFolder.New("crash");

    /// <summary>The portal's settings, the database's among them; set when the case starts.</summary>
    private Dictionary<string, string> _settings = null!;

    private string DataDirectory => Path.Combine(_root, "data");

    public async Task<CrashReport> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var timeline = new List<string>();
        void Mark(string what) => timeline.Add($"{clock.Elapsed.TotalSeconds,6:0.0} s {what}");
        // A create takes about 3 s at 0.01; between two polls the test needs a few polls of a running create, which a
        // loaded machine may not manage in 3 s, so that case deploys five times slower.
        var timeScale = point == CrashPoint.BetweenEventPolls ? 0.05 : 0.01;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = timeScale }, CancellationToken.None);
        var settings = _settings = await PortalHost.SettingsAsync(DataDirectory, sandbox.Url);
        PortalProcess? portal = null;
        try
        {
            portal = await PortalProcess.StartAsync(settings);
            Mark("portal up");
            var planPoint = point is CrashPoint.BeforeChangeSetExists or CrashPoint.WhileChangeSetIsCreated;
            var revision = 1;
            if (point == CrashPoint.DuringDestroy)
            {
                await SubmitAsync(portal);
                await ApproveAsync(portal, 1);
                await ReachesAsync(1, RevisionStatus.Deployed);
                Mark("deployed");
                using var alice = portal.Api("alice");
                using var destroy = await alice.DeleteAsync($"/api/environments/{_name}");
                Assert.Equal(HttpStatusCode.Accepted, destroy.StatusCode);
                revision = 2;
                await ReachesAsync(revision, RevisionStatus.AwaitingApproval);
            }
            else if (!planPoint)
            {
                await SubmitAsync(portal);
                await ReachesAsync(1, RevisionStatus.AwaitingApproval);
            }
            var stackId = await StackIdAsync(sandbox);

            var (match, afterEffect) = Trap();
            var sprung = sandbox.CloudFormation.PauseAtAsync(match, afterEffect);
            if (planPoint)
                await SubmitAsync(portal);
            else
                await ApproveAsync(portal, revision);
            Mark("trap set");
            await sprung.WaitAsync(TimeSpan.FromSeconds(90));
            Mark("trap sprung");

            portal.Kill();
            var statusAtKill = await PortalData.StatusAsync(settings, _name, revision);
            var storedAtKill = (await PortalData.StackEventsAsync(settings, _name)).Select(e => e.EventId).ToList();
            sandbox.CloudFormation.Resume();
            if (point == CrashPoint.DuringDestroy)
            {
                await Poll.UntilAsync(async () => await StackStatusAsync(sandbox, stackId!) == StackStatus.DeleteComplete,
                    "the delete to finish while the portal is down");
                Mark("stack deleted");
            }

            portal.Dispose();
            portal = null; // a restart that fails must report its own error, not a second dispose
            var restarted = clock.Elapsed;
            Mark("restarting");
            portal = await PortalProcess.StartAsync(PortalProcess.Restarting(settings));
            Mark("portal up again");
            if (planPoint)
            {
                await ApproveAsync(portal, 1);
            }
            await ReachesAsync(revision, RevisionStatus.Deployed);
            var settled = clock.Elapsed;
            Mark("settled");

            var orphans = await HangfireJobs.RunOrphansAgainAsync(settings);
            Mark("orphans run again");
            using var dana = portal.Api("dana");
            var detail = await dana.GetFromJsonAsync<JsonElement>($"/api/environments/{_name}");
            stackId ??= await StackIdAsync(sandbox);
            var ledger = await EventLedger.ReadAsync(sandbox, stackId!, settings, _name);
            return new CrashReport(
                point, _name, statusAtKill, storedAtKill.Count(ledger.Raised.Contains),
                [.. detail.GetProperty("revisions").EnumerateArray().Reverse().Select(r => r.GetProperty("status").GetString()!)],
                detail.GetProperty("environment").GetProperty("status").GetString()!,
                ledger,
                sandbox.CloudFormation.CallCount("ExecuteChangeSet"),
                sandbox.CloudFormation.CallCount("DeleteStack"),
                orphans,
                clock.Elapsed,
                settled - restarted,
                timeline);
        }
        catch (Exception e)
        {
            // Where the case got to, the sandbox's calls and the portal's log: a timeout alone says nothing.
            throw new Exception($"{point}: {e.Message}\ntimeline:\n{string.Join("\n", timeline)}\n" +
                $"sandbox calls: {string.Join(", ", sandbox.CloudFormation.CallCounts.Select(c => $"{c.Key} {c.Value}"))}\nportal output:\n{portal?.Output}", e);
        }
        finally
        {
            portal?.Dispose();
            try
            {
                TempFolder.Delete(_root);
            }
            catch (IOException)
            {
                // a temp folder left behind is harmless
            }
        }
    }

    /// <summary>Which request the sandbox holds (and whether after it took effect); the portal is killed once it does.</summary>
    private (Func<PausePoint, bool> Match, bool AfterEffect) Trap()
    {
        switch (point)
        {
            case CrashPoint.BeforeChangeSetExists:
                return (c => c.Action == "CreateChangeSet", false);
            case CrashPoint.WhileChangeSetIsCreated:
                return (c => c.Action == "CreateChangeSet", true);
            case CrashPoint.AfterApprovalBeforeExecute:
                return (c => c.Action == "ExecuteChangeSet", false);
            case CrashPoint.DuringExecute:
                return (c => c.Action == "ExecuteChangeSet", true);
            case CrashPoint.BetweenEventPolls:
                {
                    // The watcher stores a poll's events before it sends the next poll: holding the third poll of a running
                    // create stops the portal between two polls, with events stored and more to come.
                    var polls = 0;
                    return (c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress && ++polls == 3, false);
                }
            case CrashPoint.DuringFinalPoll:
                {
                    // The watcher learns the stack finished from DescribeStacks, then polls the events once more.
                    var finished = false;
                    return (c =>
                    {
                        finished |= c.Action == "DescribeStacks" && c.StackStatus == StackStatus.CreateComplete;
                        return finished && c.Action == "DescribeStackEvents";
                    }, false);
                }
            case CrashPoint.DuringDestroy:
                return (c => c.Action == "DeleteStack", true);
            default:
                throw new ArgumentOutOfRangeException(nameof(point), point, null);
        }
    }

    private async Task SubmitAsync(PortalProcess portal)
    {
        using var api = portal.Api("alice");
        using var submitted = await api.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(_name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
    }

    private async Task ApproveAsync(PortalProcess portal, int revision)
    {
        await ReachesAsync(revision, RevisionStatus.AwaitingApproval);
        using var api = portal.Api("bob");
        using var approved = await api.PostAsync($"/api/environments/{_name}/revisions/{revision}/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    private Task ReachesAsync(int revision, RevisionStatus status) =>
        Poll.UntilAsync(async () => await PortalData.StatusAsync(_settings, _name, revision) == status,
            $"revision {revision} of {_name} to be {status}", 180);

    /// <summary>The stack's id (it still answers by id once deleted), or null while there is no stack.</summary>
    private async Task<string?> StackIdAsync(SandboxServer sandbox)
    {
        using var client = sandbox.Client();
        try
        {
            return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = $"portal-{_name}" })).Stacks.Single().StackId;
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }
    }

    private static async Task<string> StackStatusAsync(SandboxServer sandbox, string stackId)
    {
        using var client = sandbox.Client();
        return (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackId })).Stacks.Single().StackStatus;
    }
}
