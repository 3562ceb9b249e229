using System.Globalization;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using Portal.Jobs.Hosting;

namespace Portal.Tests.Hosting;

/// <summary>
/// Hangfire's SQLite queue as the portal sets it up: a job this process queues wakes a waiting worker at once; one that
/// another process queued is found at the next poll; of two processes sharing the file, one takes a job.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class WakingSqliteQueueTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly string[] Queues = [EnqueuedState.DefaultQueue];

    private readonly string _folder = TempFolder.New("queue");

    private readonly List<SQLiteStorage> _storages = [];

    public void Dispose()
    {
        foreach (var storage in _storages) storage.Dispose();
        TempFolder.Delete(_folder);
    }

    /// <summary>The portal's storage in the test's folder, as one process opens it.</summary>
    private SQLiteStorage Storage(TimeSpan queuePollInterval)
    {
        var storage = HangfireStorage.CreateSqlite(_folder, queuePollInterval);
        _storages.Add(storage);
        return storage;
    }

    [Fact]
    public async Task AJobQueuedInThisProcessWakesAWaitingWorkerWithoutWaitingForThePoll()
    {
        // An hour between polls: only the wake can hand the job over within the deadline.
        var storage = Storage(TimeSpan.FromHours(1));

        Assert.Equal("7", await TakenOnceQueuedAsync(worker: storage, queuer: storage, jobId: 7));
    }

    [Fact]
    public async Task AJobAnotherProcessQueuedIsTakenAtTheNextPoll()
    {
        var worker = Storage(TimeSpan.FromMilliseconds(100));
        var otherProcess = Storage(TimeSpan.FromHours(1)); // its own provider: no wake reaches the worker

        Assert.Equal("8", await TakenOnceQueuedAsync(worker, queuer: otherProcess, jobId: 8));
    }

    [Fact]
    public async Task OfTwoProcessesWaitingForOneJobOnlyOneTakesIt()
    {
        var first = Storage(TimeSpan.FromMilliseconds(20));
        var second = Storage(TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var takers = Enumerable.Range(0, 4).Select(i => TakeAsync(i % 2 == 0 ? first : second, stop.Token)).ToList();
        await WaitingAsync(first, workers: 2);
        await WaitingAsync(second, workers: 2);

        Queue(first, jobId: 9);
        var winner = await Task.WhenAny(takers).WaitAsync(Deadline);
        using (var taken = await winner)
        {
            Assert.Equal("9", taken.JobId);
            taken.RemoveFromQueue(); // done, as a worker finishing it does; disposed without this, the job goes back
        }
        // A second taker would show within a few of its 20 ms polls; in fifteen, none does. The others keep polling a
        // queue that holds nothing for them, until told to stop.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, takers.Count(t => t.IsCompletedSuccessfully));
        await stop.CancelAsync();
        foreach (var loser in takers.Where(t => t != winner))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loser);
    }

    [Fact]
    public async Task AWaitingWorkerStopsAtOnceWhenTheServerStops()
    {
        var storage = Storage(TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        var worker = TakeAsync(storage, stop.Token);
        await WaitingAsync(storage, workers: 1);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker.WaitAsync(Deadline));
    }

    /// <summary>
    /// The id of the job a worker of <paramref name="worker"/> takes when, once it waits, <paramref name="queuer"/>
    /// queues job <paramref name="jobId"/>.
    /// </summary>
    private static async Task<string> TakenOnceQueuedAsync(SQLiteStorage worker, SQLiteStorage queuer, int jobId)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var waiting = TakeAsync(worker, cancel.Token);
        await WaitingAsync(worker, workers: 1);

        Queue(queuer, jobId);

        using var taken = await waiting;
        return taken.JobId;
    }

    /// <summary>Until <paramref name="workers"/> of the storage's workers found its queue empty and wait.</summary>
    private static Task WaitingAsync(SQLiteStorage storage, int workers)
    {
        var provider = Assert.IsType<WakingSqliteQueueProvider>(storage.QueueProviders.GetProvider(EnqueuedState.DefaultQueue));
        return Poll.UntilAsync(() => Task.FromResult(provider.Waiting), waiting => waiting >= workers,
            waiting => $"{waiting} of {workers} workers wait", Deadline, TimeSpan.FromMilliseconds(5));
    }

    private static Task<IFetchedJob> TakeAsync(SQLiteStorage storage, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() =>
        {
            using var connection = storage.GetConnection();
            return connection.FetchNextJob(Queues, cancellationToken);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void Queue(SQLiteStorage storage, int jobId)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToQueue(EnqueuedState.DefaultQueue, jobId.ToString(CultureInfo.InvariantCulture));
        transaction.Commit();
    }
}
