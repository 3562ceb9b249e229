using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Jobs.Hosting;

namespace Portal.Tests.Hosting;

/// <summary>A recurring job's lock left behind by a killed process must not stop the next start.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RecurringJobRegistrarTests
{
    [Fact]
    public async Task ALockedRegistrationLetsTheStartGoOnAndGoesThroughOnceTheLockIsGone()
    {
        var jobs = new LockedJobs(lockedAttempts: 2);
        using var registrar = new RecurringJobRegistrar(jobs, TimeProvider.System, NullLogger<RecurringJobRegistrar>.Instance)
        {
            RetryInterval = TimeSpan.FromMilliseconds(20),
        };

        registrar.Register("notifications", recurring => recurring.AddOrUpdate("notifications", Job.FromExpression(() => Console.WriteLine()), Cron.Minutely(), new RecurringJobOptions()));

        Assert.Empty(jobs.Registered); // the start went on
        await registrar.Retries.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["notifications"], jobs.Registered);
        Assert.Equal(3, jobs.Attempts);
    }

    [Fact]
    public void ABadScheduleStillStopsTheStart()
    {
        using var registrar = new RecurringJobRegistrar(new LockedJobs(lockedAttempts: 0), TimeProvider.System, NullLogger<RecurringJobRegistrar>.Instance);

        Assert.Throws<ArgumentException>(() => registrar.Register("expiry", _ => throw new ArgumentException("not a cron expression")));
    }

    [Fact]
    public async Task RetriesEndWhenTheHostStops()
    {
        var jobs = new LockedJobs(lockedAttempts: int.MaxValue);
        using var registrar = new RecurringJobRegistrar(jobs, TimeProvider.System, NullLogger<RecurringJobRegistrar>.Instance)
        {
            RetryInterval = TimeSpan.FromMilliseconds(20),
        };
        registrar.Register("drift-sweep", recurring => recurring.RemoveIfExists("drift-sweep"));
        await Poll.UntilAsync(() => Task.FromResult(jobs.Attempts), attempts => attempts >= 3, _ => "a few retries", TimeSpan.FromSeconds(10));

        registrar.Dispose(); // as the host does when it stops
        await registrar.Retries.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(jobs.Registered);
    }

    /// <summary>A storage whose recurring-job lock is held for the first <c>lockedAttempts</c> attempts.</summary>
    private sealed class LockedJobs(int lockedAttempts) : IRecurringJobManager
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public List<string> Registered { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) => Attempt(recurringJobId);

        public void RemoveIfExists(string recurringJobId) => Attempt(recurringJobId);

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        private void Attempt(string recurringJobId)
        {
            if (Interlocked.Increment(ref _attempts) <= lockedAttempts)
                throw new DistributedLockTimeoutException($"recurring-job:{recurringJobId}");
            lock (Registered) Registered.Add(recurringJobId);
        }
    }
}
