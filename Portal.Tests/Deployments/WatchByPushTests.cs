using System.Threading.Channels;
using Portal.Infra.Deployments;
using static Portal.Tests.Deployments.ScriptedStack;

namespace Portal.Tests.Deployments;

/// <summary>
/// While the stack's events arrive by push the watcher polls only to reconcile: every reconcile interval, and at once
/// when the push says the stack settled, then once more for the last events. On a fake clock.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class WatchByPushTests
{
    private static readonly TimeSpan Active = TimeSpan.FromSeconds(1), Reconcile = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PollsEveryReconcileIntervalAndAtOnceWhenThePushSaysTheStackSettled()
    {
        var stack = new ScriptedStack("REVIEW_IN_PROGRESS")
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"), Event(2, "Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"))
            .Quiet()
            .Then("CREATE_COMPLETE", Event(30, "Vpc", "AWS::EC2::VPC", "CREATE_COMPLETE"), StackLine(31, "CREATE_COMPLETE"))
            .Quiet();
        var clock = new TimerRecordingClock();
        var watcher = new StackEventWatcher(new WatchOptions { ActiveInterval = Active, QuietInterval = Active * 8, ReconcileInterval = Reconcile }, clock);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The push: each wait is recorded, and ends when the test says what the push brought.
        var waits = Channel.CreateUnbounded<(TimeSpan AtMost, TaskCompletionSource Push)>();
        async Task WaitForPush(TimeSpan atMost, CancellationToken cancellationToken)
        {
            var push = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await waits.Writer.WriteAsync((atMost, push), cancellationToken);
            await push.Task.WaitAsync(cancellationToken);
        }

        var watching = Task.Run(async () =>
        {
            var updates = new List<WatchUpdate>();
            await foreach (var update in watcher.WatchAsync(stack, new WatchRequest { StackName = Id, Since = T0, WaitForPush = WaitForPush }, deadline.Token))
                updates.Add(update);
            return updates;
        });

        // First poll, then a whole reconcile interval with nothing from the push: one more poll, which finds nothing new.
        var first = await waits.Reader.ReadAsync(deadline.Token);
        Assert.Equal(Reconcile, first.AtMost);
        Assert.Equal(3, stack.StepsLeft);
        first.Push.SetResult();
        // The push says the stack settled: polled at once, not after another interval.
        var second = await waits.Reader.ReadAsync(deadline.Token);
        Assert.Equal(2, stack.StepsLeft);
        second.Push.SetResult();
        // Terminal: one more poll after the active interval, for events that came after the stack's last line.
        Assert.Equal(Active, await clock.NextTimerAsync(deadline.Token));
        clock.Advance(Active);
        var updates = await watching;

        Assert.Equal(0, stack.StepsLeft);
        Assert.True(updates[^1].Outcome!.Succeeded);
        Assert.Equal(4, updates.SelectMany(u => u.NewEvents).Count());
        Assert.False(waits.Reader.TryRead(out _), "the watcher waited for the push after the stack settled");
    }
}
