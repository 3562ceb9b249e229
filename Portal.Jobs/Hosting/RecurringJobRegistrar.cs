using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Portal.Jobs.Hosting;

/// <summary>
/// Registers recurring jobs at start-up. A process killed while it held a recurring job's lock leaves that lock behind
/// until its lifetime ends (on PostgreSQL, <see cref="HangfireStorage"/>); the restart must not fail on it. The job is
/// still stored from the last run and keeps running, so the registration is retried in the background until the lock
/// has expired.
/// </summary>
internal sealed class RecurringJobRegistrar(IRecurringJobManager recurring, TimeProvider time, ILogger<RecurringJobRegistrar> logger)
    : IDisposable
{
    /// <summary>Cancelled when the host disposes its services: a stopping host stops retrying.</summary>
    private readonly CancellationTokenSource _stopping = new();

    private readonly List<Task> _retries = [];

    /// <summary>The wait between two attempts while the lock is held.</summary>
    internal TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="register"/> now; when a held lock refuses it, again in the background until it goes
    /// through. Any other failure (a schedule that is not a cron expression) stops the start as before.</summary>
    public void Register(string recurringJobId, Action<IRecurringJobManager> register)
    {
        try
        {
            register(recurring);
        }
        catch (DistributedLockTimeoutException)
        {
            logger.LogWarning("Recurring job {RecurringJobId} is locked, likely by a process that stopped while holding it; " +
                              "it keeps its stored schedule and is registered again once the lock expires", recurringJobId);
            lock (_retries) _retries.Add(RetryAsync(recurringJobId, register, _stopping.Token));
        }
    }

    /// <summary>The background registrations: done once each went through or the host stopped.</summary>
    internal Task Retries
    {
        get
        {
            lock (_retries) return Task.WhenAll(_retries);
        }
    }

    private async Task RetryAsync(string recurringJobId, Action<IRecurringJobManager> register, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await Task.Delay(RetryInterval, time, stopping);
                register(recurring);
                logger.LogInformation("Recurring job {RecurringJobId} registered after its lock expired", recurringJobId);
                return;
            }
            catch (DistributedLockTimeoutException)
            {
                // still held: try again
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Registering recurring job {RecurringJobId} failed", recurringJobId);
                return;
            }
        }
    }

    public void Dispose() => _stopping.Cancel(); // no timer inside: nothing else to release
}
