namespace Portal.Infra.Budgets;

/// <summary>
/// Where a target's token bucket lives: in the process (<see cref="InMemoryCallBudgetStore"/>), or in the database that
/// several portal processes share, so that together they stay within one budget.
/// </summary>
public interface ICallBudgetStore
{
    /// <summary>
    /// Takes one token from <paramref name="target"/>'s bucket if it holds at least <see cref="CallRate.Floor"/> for
    /// <paramref name="priority"/>, and returns <see cref="TimeSpan.Zero"/>; otherwise takes nothing and returns how long
    /// until it will.
    /// </summary>
    ValueTask<TimeSpan> TryTakeAsync(string target, CallRate rate, CallPriority priority, CancellationToken cancellationToken);
}

/// <summary>The buckets of one process: enough for one portal on SQLite, which serves one machine.</summary>
public sealed class InMemoryCallBudgetStore(TimeProvider time) : ICallBudgetStore
{
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<TimeSpan> TryTakeAsync(string target, CallRate rate, CallPriority priority, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_buckets)
        {
            var (tokens, at) = _buckets.TryGetValue(target, out var bucket) ? bucket : (rate.Burst, now);
            tokens = Math.Min(rate.Burst, tokens + Math.Max(0, (now - at).TotalSeconds) * rate.PerSecond);
            var floor = rate.Floor(priority);
            var taken = tokens >= floor;
            _buckets[target] = (taken ? tokens - 1 : tokens, now);
            return ValueTask.FromResult(taken ? TimeSpan.Zero : rate.Until(tokens, floor));
        }
    }
}
