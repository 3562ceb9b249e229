using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Jobs.Data;

namespace Portal.Tests.Postgres;

/// <summary>
/// A burst of writers in one process beside readers, on a connection pool smaller than the burst: the writers queue for
/// their turn without holding connections, so readers are answered at once. On a cluster of its own.
/// </summary>
[Trait(Lanes.Category, Lanes.Postgres)]
public sealed class WriteTurnTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const int PoolSize = 5;
    private const int Writers = 4 * PoolSize;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task WritersWaitingForTheirTurnLeaveThePoolToReaders()
    {
        // A reader that finds no free connection fails after Timeout: 2 s, well before the held turn is released.
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateMigratedDatabaseAsync())
        {
            MaxPoolSize = PoolSize,
            Timeout = 2,
        }.ConnectionString;
        PortalDb Open() => new PostgresPortalDb(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql(connectionString).Options);

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = new List<Task<int>> { WriteAsync(async db =>
        {
            holding.SetResult();
            await release.Task;
            return await db.Environments.CountAsync();
        }) };
        await holding.Task.WaitAsync(Deadline);
        writes.AddRange(Enumerable.Range(0, Writers).Select(_ => WriteAsync(db => db.Environments.CountAsync())));

        // Each writer has asked for its turn before AddRange returned; without turns, PoolSize of them took every
        // connection on the way to the database's write lock.
        await using (var reader = Open())
            Assert.Equal(0, await reader.Revisions.CountAsync());
        Assert.All(writes, write => Assert.False(write.IsCompleted));

        release.SetResult();
        Assert.All(await Task.WhenAll(writes).WaitAsync(Deadline), count => Assert.Equal(0, count));

        async Task<int> WriteAsync(Func<PortalDb, Task<int>> work)
        {
            await using var db = Open();
            return await db.WriteAsync(() => work(db), CancellationToken.None);
        }
    }
}
