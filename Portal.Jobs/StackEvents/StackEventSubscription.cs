namespace Portal.Jobs.StackEvents;

/// <summary>
/// One live view's ear on the <see cref="StackEventFeed"/> for one environment: <see cref="WaitAsync"/> returns when
/// the feed announces that environment, or after a timeout, whichever is first. Views re-read the database after
/// each wait, so the timeout is their catch-up poll for events a separate worker process stored.
/// </summary>
public sealed class StackEventSubscription : IDisposable
{
    private readonly StackEventFeed _feed;
    private readonly string _environment;
    // At most one pending wake-up: many announcements while the view reads the database need one more read, not many.
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Lock _gate = new();

    public StackEventSubscription(StackEventFeed feed, string environment)
    {
        _feed = feed;
        _environment = environment;
        feed.Changed += OnChanged;
    }

    /// <summary>True when woken by the feed, false when <paramref name="timeout"/> passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    private void OnChanged(string name)
    {
        if (name != _environment) return;
        lock (_gate)
            if (_signal.CurrentCount == 0) _signal.Release();
    }

    /// <summary>Stops listening. The semaphore is left to the collector: a wait may still be pending until its token cancels.</summary>
    public void Dispose() => _feed.Changed -= OnChanged;
}
