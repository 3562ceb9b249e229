using Hangfire.Storage.SQLite;

namespace Portal.Jobs.Hosting;

/// <summary>
/// Hangfire's SQLite queue, with one change: a worker waiting for a job wakes as soon as this process queues one, instead
/// of at its next poll. Hangfire.Storage.SQLite only polls, each of the 40 workers on its own, so a short poll interval
/// (200 ms, for a plan to start promptly) cost an idle portal 5–9% of a core; now the poll only finds jobs another
/// process queued (a separate worker's web host), and runs every <see cref="SQLiteStorageOptions.QueuePollInterval"/>.
/// One per storage: two hosts in one process (tests, a benchmark) wake only their own workers.
/// </summary>
public sealed class WakingSqliteQueueProvider(SQLiteStorageOptions options) : IPersistentJobQueueProvider
{
    private readonly object _gate = new();
    private long _enqueued;
    private int _waiting;

    public IPersistentJobQueue GetJobQueue(HangfireDbContext connection) => new WakingSqliteQueue(connection, options, this);

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi(HangfireDbContext connection) => new SQLiteJobQueueMonitoringApi(connection);

    /// <summary>How many jobs this process has queued so far: a waiter that saw fewer looks again instead of waiting.</summary>
    internal long Enqueued
    {
        get
        {
            lock (_gate) return _enqueued;
        }
    }

    /// <summary>Workers waiting for a job now (for diagnostics and tests).</summary>
    internal int Waiting => Volatile.Read(ref _waiting);

    /// <summary>A job was queued (its row committed): one waiting worker wakes and takes it.</summary>
    internal void Notify()
    {
        lock (_gate)
        {
            _enqueued++;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// Waits until a job is queued after the count <paramref name="seen"/>, the poll interval passes, or
    /// <paramref name="cancellationToken"/> fires; returns at once when one was queued since.
    /// </summary>
    internal void WaitForJob(long seen, CancellationToken cancellationToken)
    {
        using var cancelled = cancellationToken.Register(() =>
        {
            lock (_gate) Monitor.PulseAll(_gate);
        });
        lock (_gate)
        {
            if (_enqueued != seen || cancellationToken.IsCancellationRequested)
                return;
            _waiting++;
            try
            {
                Monitor.Wait(_gate, options.QueuePollInterval);
            }
            finally
            {
                _waiting--;
            }
        }
    }
}
