using Microsoft.Extensions.Time.Testing;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;

namespace Portal.Tests.Engine;

/// <summary>Deploys that survive throttling and a watcher that is stopped and started again mid-deploy.</summary>
[Collection(EngineTemplates.Collection)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ResilienceTests(EngineTemplates templates)
{
    [Fact]
    public async Task ADeploySettlesWhileCloudFormationThrottlesThirtyPercentOfCalls()
    {
        await using var host = await EngineHost.StartAsync(throttleRate: 0.3, clientOptions: new CloudFormationClientOptions
        {
            MaxAttempts = 10,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(10),
        });

        var created = await host.ExecuteAndWatchAsync(await host.PlanAsync(templates.StackName, templates.Healthy, "create"));

        Assert.Equal(StackStatus.CreateComplete, created.Outcome.StackStatus);
        Assert.Contains(created.Outcome.Outputs, o => o.OutputKey == "PublicUrl");
        var sandbox = host.Sandbox.CloudFormation;
        Assert.True(sandbox.CallCounts.Keys.Sum(sandbox.ThrottledCount) > 0, "the sandbox throttled some calls");
        Assert.Equal(1, sandbox.CallCount("ExecuteChangeSet") - sandbox.ThrottledCount("ExecuteChangeSet"));
        sandbox.ThrottleRate = 0;
        await created.AssertDeliveredEveryEventOnceOldestFirstAsync(host);
    }

    [Fact]
    public async Task AWatchStoppedTwiceMidDeployAndRestartedWithWhatItDeliveredHandsOnEveryEventOnce()
    {
        // The sandbox's clock only moves when the test moves it, so "mid-deploy" is certain.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await EngineHost.StartAsync(clock: clock);
        ChangeSetPlan plan;
        await using (ClockDriver.Start(clock))
            plan = await host.PlanAsync(templates.StackName, templates.Healthy, "create");
        await host.ChangeSets.ExecuteAsync(host.Client, plan.ChangeSetId, "execute", CancellationToken.None);
        var request = new WatchRequest { StackName = plan.StackId, Since = plan.CreationTime, TotalResources = plan.Changes.Count };

        clock.Advance(TimeSpan.FromSeconds(5));
        var first = await WatchUntilStoppedAsync(host, request);
        clock.Advance(TimeSpan.FromSeconds(20));
        var second = await WatchUntilStoppedAsync(host, request with { KnownEvents = first });
        WatchRun last;
        await using (ClockDriver.Start(clock))
            last = await host.WatchAsync(request with { KnownEvents = [.. first, .. second] });

        Assert.NotEmpty(first);
        Assert.NotEmpty(second);
        Assert.Equal(StackStatus.CreateComplete, last.Outcome.StackStatus);
        Assert.Equal(plan.Changes.Count, last.Updates[^1].Settled);
        var listed = await host.EventsSinceAsync(plan.StackId, plan.CreationTime);
        Assert.Equal(listed.Select(e => e.EventId), first.Concat(second).Concat(last.Events).Select(e => e.EventId));
    }

    /// <summary>
    /// Watches until the first update with events, then stops the watch as a cancelled job would; the stack is
    /// still deploying (its clock stands still). Returns what was handed on.
    /// </summary>
    private static async Task<List<StackEvent>> WatchUntilStoppedAsync(EngineHost host, WatchRequest request)
    {
        using var deadline = new CancellationTokenSource(EngineHost.Deadline);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var delivered = new List<StackEvent>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in host.Watcher.WatchAsync(host.Client, request, stop.Token))
            {
                Assert.Null(update.Outcome);
                delivered.AddRange(update.NewEvents);
                if (delivered.Count > 0)
                    await stop.CancelAsync();
            }
        });
        Assert.False(deadline.IsCancellationRequested, "the watch handed on no event before the deadline");
        return delivered;
    }

    /// <summary>Moves a fake clock on in the background, so that simulated durations pass while a step waits on them.</summary>
    private sealed class ClockDriver : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _driving;

        private ClockDriver(FakeTimeProvider clock)
        {
            _driving = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    clock.Advance(TimeSpan.FromSeconds(5));
                    await Task.Yield();
                    await Task.Delay(TimeSpan.FromMilliseconds(2), CancellationToken.None);
                }
            });
        }

        public static ClockDriver Start(FakeTimeProvider clock) => new(clock);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _driving;
            _stop.Dispose();
        }
    }
}
