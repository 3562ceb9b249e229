using Portal.Infra.Deployments;
using static Portal.Tests.Deployments.ScriptedStack;

namespace Portal.Tests.Deployments;

/// <summary>How often the watcher polls: by the delays it asks its clock for, one poll at a time on a fake clock.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class WatchPaceTests
{
    private static readonly TimeSpan Active = TimeSpan.FromSeconds(1), Quiet = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task PollsBackOffDoublingUpToTheQuietIntervalWhileQuietOrThrottledAndSpeedUpAgainOnEvents()
    {
        var stack = new ScriptedStack("REVIEW_IN_PROGRESS")
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"))
            .Quiet().Quiet()
            .ThrottledPoll().ThrottledPoll()
            .Quiet()
            .Then(null, Event(2, "Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"))
            .ThrottledPoll()
            .Then("CREATE_COMPLETE", Event(3, "Vpc", "AWS::EC2::VPC", "CREATE_COMPLETE"), StackLine(4, "CREATE_COMPLETE"));
        var clock = new TimerRecordingClock();
        var watcher = new StackEventWatcher(new WatchOptions { ActiveInterval = Active, QuietInterval = Quiet }, clock);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var watching = Task.Run(async () =>
        {
            var updates = new List<WatchUpdate>();
            await foreach (var update in watcher.WatchAsync(stack, new WatchRequest { StackName = Id, Since = T0 }, deadline.Token))
                updates.Add(update);
            return updates;
        });
        // Each wait is let pass exactly when it is due, once the watcher has asked for it.
        var delays = new List<TimeSpan>();
        while (true)
        {
            var timer = clock.NextTimerAsync(deadline.Token);
            if (await Task.WhenAny(watching, timer) == watching)
                break;
            delays.Add(await timer);
            clock.Advance(delays[^1]);
        }
        var updates = await watching;

        Assert.True(updates[^1].Outcome!.Succeeded);
        Assert.Equal(0, stack.StepsLeft);
        Assert.Equal(
            new[] { 1, 2, 4, 8, 8, 8, 1, 2, 1 }.Select(s => TimeSpan.FromSeconds(s)),
            delays);
    }
}
