using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using Hangfire.Storage.SQLite.Entities;

namespace Portal.Jobs.Hosting;

/// <summary>
/// One connection's view of the <see cref="WakingSqliteQueueProvider"/>'s queue: takes a job as Hangfire.Storage.SQLite
/// does (a new one first, else one whose worker stopped renewing it), and waits on the provider between polls.
/// </summary>
internal sealed class WakingSqliteQueue(HangfireDbContext connection, SQLiteStorageOptions options, WakingSqliteQueueProvider provider)
    : IPersistentJobQueue
{
    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Length == 0)
            throw new ArgumentException("Queue array must be non-empty.", nameof(queues));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seen = provider.Enqueued;
            foreach (var queue in queues)
            {
                if (TryTake(queue) is { } job)
                    return new SQLiteFetchedJob(connection, job.Id, job.JobId, job.Queue);
            }
            provider.WaitForJob(seen, cancellationToken);
        }
    }

    public void Enqueue(string queue, string jobId)
    {
        connection.Database.Insert(new JobQueue { JobId = int.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture), Queue = queue });
        provider.Notify();
    }

    /// <summary>
    /// Marks one job of <paramref name="queue"/> as taken. The update names the row's old state, so of two processes
    /// sharing the file (a web host and a separate worker) only one takes it.
    /// </summary>
    private JobQueue? TryTake(string queue)
    {
        var abandoned = DateTime.UtcNow - options.InvisibilityTimeout;
        foreach (var job in connection.Database.Query<JobQueue>(
                     "SELECT * FROM JobQueue WHERE Queue = ? AND (FetchedAt = ? OR FetchedAt < ?) ORDER BY FetchedAt, Id LIMIT 5",
                     queue, DateTime.MinValue, abandoned))
        {
            var takenAt = DateTime.UtcNow;
            if (connection.Database.Execute("UPDATE JobQueue SET FetchedAt = ? WHERE Id = ? AND FetchedAt = ?", takenAt, job.Id, job.FetchedAt) == 1)
            {
                job.FetchedAt = takenAt;
                return job;
            }
        }
        return null;
    }
}
