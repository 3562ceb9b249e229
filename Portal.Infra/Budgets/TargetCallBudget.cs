using Microsoft.Extensions.Logging;

namespace Portal.Infra.Budgets;

/// <summary>
/// One target's CloudFormation calls in this process, each waiting its turn at the target's bucket
/// (<see cref="ICallBudgetStore"/>): actions first, then watchers in the order they asked. One loop per target asks the
/// store on behalf of the first in line, so a hundred waiting watchers cost one question per token, not a hundred.
/// </summary>
public sealed class TargetCallBudget
{
    private readonly string _target;
    private readonly CallRate _rate;
    private readonly ICallBudgetStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _actions = new(), _watchers = new();
    private TaskCompletionSource _arrived = NewSignal();
    private bool _running;

    public TargetCallBudget(string target, CallRate rate, ICallBudgetStore store, TimeProvider time, ILogger logger)
    {
        if (!(rate.PerSecond > 0) || double.IsInfinity(rate.PerSecond) || rate.Burst < 1)
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A call budget needs a rate above 0 and a burst of at least 1.");
        _target = target;
        _rate = rate;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes when a call of <paramref name="priority"/> may go out.</summary>
    public async ValueTask WaitTurnAsync(CallPriority priority, CancellationToken cancellationToken)
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            (priority == CallPriority.Action ? _actions : _watchers).Enqueue(turn);
            start = !_running;
            _running = true;
            if (priority == CallPriority.Action) _arrived.TrySetResult();
        }
        if (start) _ = Task.Run(ServeAsync, CancellationToken.None);
        await using (cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken)))
            await turn.Task;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            TaskCompletionSource next;
            CallPriority priority;
            Task arrived;
            lock (_gate)
            {
                // Callers that gave up are dropped here rather than searched for when they cancel.
                while (_actions.TryPeek(out var head) && head.Task.IsCompleted) _actions.Dequeue();
                while (_watchers.TryPeek(out var head) && head.Task.IsCompleted) _watchers.Dequeue();
                if (_actions.TryPeek(out next!)) priority = CallPriority.Action;
                else if (_watchers.TryPeek(out next!)) priority = CallPriority.Watch;
                else
                {
                    _running = false;
                    return;
                }
                if (_arrived.Task.IsCompleted) _arrived = NewSignal();
                arrived = _arrived.Task;
            }

            TimeSpan wait;
            try
            {
                wait = await _store.TryTakeAsync(_target, _rate, priority, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The shared bucket cannot be read (the database restarting): keep this process's own pace meanwhile
                // rather than stop every call or drop the budget.
                _logger.LogWarning(e, "The call budget of target {Target} could not be read; pacing this process alone", _target);
                await Task.Delay(TimeSpan.FromSeconds(1 / _rate.PerSecond), _time);
                wait = TimeSpan.Zero;
            }

            if (wait <= TimeSpan.Zero)
            {
                lock (_gate)
                {
                    (priority == CallPriority.Action ? _actions : _watchers).Dequeue();
                }
                // A caller that cancelled meanwhile wastes its token: rare, and safe (fewer calls, not more).
                next.TrySetResult();
                continue;
            }
            // An action arriving while watchers wait for a token is served at once, from the burst it may borrow.
            using var cancel = new CancellationTokenSource();
            if (priority == CallPriority.Watch)
                await Task.WhenAny(Task.Delay(wait, _time, cancel.Token), arrived);
            else
                await Task.Delay(wait, _time, cancel.Token);
            await cancel.CancelAsync();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
