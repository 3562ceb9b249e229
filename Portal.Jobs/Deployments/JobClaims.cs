using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Jobs.Data;

namespace Portal.Jobs.Deployments;

/// <summary>
/// One job per revision (or drift check) at a time. Start-up recovery of every process that runs jobs, and Hangfire's
/// own re-queue of an interrupted job, may each start one for the same work; the second waits until the first is done
/// and then finds the work done (the jobs check the saved status first), so CloudFormation is never polled twice.
/// <list type="bullet">
/// <item>In this process: a gate per claimed id.</item>
/// <item>On PostgreSQL, across processes too: a session-level advisory lock keyed by the kind and id, held on a
/// connection of the job's own for as long as the job runs. A process that dies loses its connection and the server
/// releases its claims at once, so a job waiting on another worker resumes the work immediately (crash recovery
/// stays immediate). The wait is cancelled with the job (a worker shutting down).</item>
/// <item>On SQLite (one machine) only the in-process gate: a separate worker process on the same file may watch a
/// revision the web host also watches after a restart; the jobs' idempotency keeps that correct, only doubled polling.</item>
/// </list>
/// </summary>
public sealed class JobClaims(IDbContextFactory<PortalDb> databases)
{
    /// <summary>The first key of the two-key advisory locks (a space no other lock of the portal uses); the id is the second.</summary>
    internal const int RevisionSpace = 0x506F7201, DriftCheckSpace = 0x506F7202;

    private readonly Dictionary<(int Space, int Id), Gate> _gates = [];
    private readonly Lazy<string?> _postgres = new(() =>
    {
        using var db = databases.CreateDbContext();
        return db is PostgresPortalDb ? db.Database.GetConnectionString() : null;
    });

    /// <summary>Waits until no other job (in any process, on PostgreSQL) works on the revision; dispose to release.</summary>
    public Task<IAsyncDisposable> ClaimRevisionAsync(int revisionId, CancellationToken cancellationToken) =>
        ClaimAsync((RevisionSpace, revisionId), cancellationToken);

    /// <summary>Waits until no other job works on the drift check; dispose to release.</summary>
    public Task<IAsyncDisposable> ClaimDriftCheckAsync(int checkId, CancellationToken cancellationToken) =>
        ClaimAsync((DriftCheckSpace, checkId), cancellationToken);

    private async Task<IAsyncDisposable> ClaimAsync((int Space, int Id) key, CancellationToken cancellationToken)
    {
        var gate = Enter(key);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, gate);
            throw;
        }
        try
        {
            var session = _postgres.Value is { } connectionString
                ? await LockAcrossProcessesAsync(connectionString, key, cancellationToken)
                : null;
            return new Claim(this, key, gate, session);
        }
        catch
        {
            gate.Semaphore.Release();
            Leave(key, gate);
            throw;
        }
    }

    /// <summary>The open connection that holds the lock: closing it releases the lock.</summary>
    private static async Task<NpgsqlConnection> LockAcrossProcessesAsync(string connectionString, (int Space, int Id) key, CancellationToken cancellationToken)
    {
        // Unpooled: disposing really closes the session, so the lock can never linger in a pooled connection.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // The keepalives let the server notice a worker whose machine vanished without closing the connection (power
            // loss) within about 90 s, and release its claims; a process that merely dies closes it at once.
            await using var command = new NpgsqlCommand(
                "SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3; " +
                "SELECT pg_advisory_lock(@space, @id)", connection)
            {
                CommandTimeout = 0, // as long as the other job runs: a deploy takes minutes
            };
            command.Parameters.AddWithValue("space", key.Space);
            command.Parameters.AddWithValue("id", key.Id);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private Gate Enter((int, int) key)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out var gate))
                _gates[key] = gate = new Gate();
            gate.Users++;
            return gate;
        }
    }

    private void Leave((int, int) key, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users > 0) return;
            _gates.Remove(key);
            gate.Semaphore.Dispose();
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Claim(JobClaims claims, (int, int) key, Gate gate, NpgsqlConnection? session) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            try
            {
                if (session is not null)
                    await session.DisposeAsync();
            }
            finally
            {
                gate.Semaphore.Release();
                claims.Leave(key, gate);
            }
        }
    }
}
