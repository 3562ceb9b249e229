using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infra.Budgets;
using Portal.Tests.Deployments;

namespace Portal.Tests.Budgets;

/// <summary>
/// One target's calls in one process, on a fake clock that records each wait the budget asks for: the bucket's pace,
/// actions ahead of watchers, callers that give up.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class CallBudgetTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TimerRecordingClock _clock = new();
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));

    public void Dispose() => _deadline.Dispose();

    private TargetCallBudget Budget(double perSecond, int burst) =>
        new("prod", new CallRate(perSecond, burst), new InMemoryCallBudgetStore(_clock), _clock, NullLogger.Instance);

    private static Task Turn(TargetCallBudget budget, CallPriority priority, CancellationToken cancellationToken = default) =>
        budget.WaitTurnAsync(priority, cancellationToken).AsTask();

    private Task<TimeSpan> NextWaitAsync() => _clock.NextTimerAsync(_deadline.Token);

    [Fact]
    public async Task CallsBeyondTheBurstGoOutAtTheTargetsRate()
    {
        var budget = Budget(perSecond: 2, burst: 3);
        for (var i = 0; i < 3; i++)
            await Turn(budget, CallPriority.Watch).WaitAsync(Deadline);

        var fourth = Turn(budget, CallPriority.Watch);
        Assert.Equal(TimeSpan.FromMilliseconds(500), await NextWaitAsync());
        Assert.False(fourth.IsCompleted, "a call went out before the bucket held a token again");
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        await fourth.WaitAsync(Deadline);
    }

    [Fact]
    public async Task AnActionGoesAheadOfWatchersWaitingForTokens()
    {
        var budget = Budget(perSecond: 1, burst: 2);
        for (var i = 0; i < 2; i++)
            await Turn(budget, CallPriority.Watch).WaitAsync(Deadline);
        var watchers = Enumerable.Range(0, 3).Select(_ => Turn(budget, CallPriority.Watch)).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), await NextWaitAsync());

        // The bucket is empty and three watchers wait: an action still goes at once, borrowing from the next burst.
        await Turn(budget, CallPriority.Action).WaitAsync(Deadline);
        Assert.All(watchers, w => Assert.False(w.IsCompleted));

        // Watchers then wait for the borrowed token to be paid back as well, in the order they came.
        Assert.Equal(TimeSpan.FromSeconds(2), await NextWaitAsync());
        _clock.Advance(TimeSpan.FromSeconds(2));
        await watchers[0].WaitAsync(Deadline);
        Assert.Equal(TimeSpan.FromSeconds(1), await NextWaitAsync());
        Assert.False(watchers[1].IsCompleted);
    }

    [Fact]
    public async Task ActionsBorrowAtMostOneBurst()
    {
        var budget = Budget(perSecond: 1, burst: 2);
        for (var i = 0; i < 4; i++)
            await Turn(budget, CallPriority.Action).WaitAsync(Deadline);

        var fifth = Turn(budget, CallPriority.Action);
        Assert.Equal(TimeSpan.FromSeconds(1), await NextWaitAsync());
        Assert.False(fifth.IsCompleted, "actions borrowed more than one burst");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await fifth.WaitAsync(Deadline);
    }

    [Fact]
    public async Task ACallerThatGivesUpLeavesTheLineToTheNext()
    {
        var budget = Budget(perSecond: 1, burst: 1);
        await Turn(budget, CallPriority.Watch).WaitAsync(Deadline);
        using var giveUp = new CancellationTokenSource();
        var first = Turn(budget, CallPriority.Watch, giveUp.Token);
        var second = Turn(budget, CallPriority.Watch);
        Assert.Equal(TimeSpan.FromSeconds(1), await NextWaitAsync());

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Deadline));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Deadline);
    }

    [Fact]
    public void EachActionHasThePriorityOfWhatItIsFor()
    {
        Assert.All(["CreateChangeSet", "ExecuteChangeSet", "CancelUpdateStack", "DeleteStack", "DescribeChangeSet"],
            action => Assert.Equal(CallPriority.Action, CallPriorities.Of(action)));
        Assert.All(["DescribeStackEvents", "DescribeStacks", "DetectStackDrift", "DescribeStackResourceDrifts"],
            action => Assert.Equal(CallPriority.Watch, CallPriorities.Of(action)));
    }
}
