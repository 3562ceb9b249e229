using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Portal.Jobs.Data;

namespace Portal.Jobs.Hosting;

/// <summary>
/// Where Hangfire keeps its queue: in the portal's database engine (SQLite beside the portal database, or the same
/// PostgreSQL server), so every worker takes from one queue and each job runs once.
/// </summary>
public static class HangfireStorage
{
    public const string FileName = "hangfire.db";

    /// <summary>Hangfire's tables on PostgreSQL live in a schema of their own, beside the portal's.</summary>
    public const string Schema = "hangfire";

    /// <summary>
    /// On SQLite, how often a waiting worker looks for jobs that another process queued (a web host queueing for a
    /// separate worker). A job queued by this process wakes a worker at once (<see cref="WakingSqliteQueueProvider"/>).
    /// </summary>
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On PostgreSQL a job queued by this process wakes one of its workers at once (Hangfire.PostgreSql signals them when
    /// the enqueue commits), so polling only finds jobs queued by another process (a web host queueing for a separate
    /// worker). Every worker polls on its own: at 200 ms, 40 idle workers sent 200 queries a second, and an idle portal
    /// with its share of the server took about 30% of a core.
    /// </summary>
    private static readonly TimeSpan PostgresQueuePollInterval = TimeSpan.FromSeconds(1);

    public static JobStorage Create(IConfiguration configuration)
    {
        if (DatabaseConfiguration.Provider(configuration) == DatabaseProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                QueuePollInterval = PostgresQueuePollInterval,
                // A fetched job stays invisible to other workers only as long as its worker keeps renewing it: a deploy
                // may watch a stack for many minutes without being taken twice, and a crashed worker's job is taken
                // again after 5 minutes (start-up recovery of the portal resumes it sooner when a worker restarts).
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                // A lock is a row that lives until released or this old: one left by a killed process blocked its recurring
                // job for 10 minutes (the default). The portal's locks are held for milliseconds (a recurring job's trigger)
                // or a drift sweep that only queues checks.
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            };
            return new PostgreSqlStorage(
                new NpgsqlConnectionFactory(DatabaseConfiguration.PostgresConnectionString(configuration), options), options);
        }

        return CreateSqlite(DatabaseConfiguration.DataDirectory(configuration), QueuePollInterval);
    }

    /// <summary>The SQLite storage in <paramref name="dataDirectory"/>, its workers polling every <paramref name="queuePollInterval"/>.</summary>
    internal static SQLiteStorage CreateSqlite(string dataDirectory, TimeSpan queuePollInterval)
    {
        // Hangfire opens its database before the portal's migrator has created the data folder.
        Directory.CreateDirectory(dataDirectory);
        var options = new SQLiteStorageOptions { QueuePollInterval = queuePollInterval };
        var storage = new SQLiteStorage(Path.Combine(dataDirectory, FileName), options);
        // The portal queues every job on Hangfire's default queue.
        storage.QueueProviders.Add(new WakingSqliteQueueProvider(options), [EnqueuedState.DefaultQueue]);
        return storage;
    }
}
