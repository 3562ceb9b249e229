using System.Collections.Concurrent;

namespace Portal.Jobs.Data;

/// <summary>
/// One write turn per database per process, taken before a writer opens its connection. Without it, a burst of writers
/// (a hundred submissions at once) each held a pooled connection while waiting for PostgreSQL's write lock, emptied
/// Npgsql's pool of 100, and readers failed after waiting 15 s for a connection. Queued here they cost no connection,
/// and SQLite's writers no longer poll its busy handler against each other.
/// </summary>
internal static class WriteTurns
{
    /// <summary>As long as a writer waits for the database itself (SQLite's busy timeout, PostgreSQL's command timeout).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Keyed by connection string: one entry per database this process writes to (one in production, one per test host).
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Turns = new();

    /// <summary>Waits for this database's turn; dispose the result to pass it on.</summary>
    public static async Task<IDisposable> EnterAsync(string connectionString, CancellationToken cancellationToken)
    {
        var turn = Turns.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1));
        if (!await turn.WaitAsync(Patience, cancellationToken))
            throw new TimeoutException($"another writer held the database for more than {Patience.TotalSeconds:0} s");
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
        }
    }
}
