using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;
using Portal.Jobs.Drift;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;

namespace Portal.Tests.Drift;

/// <summary>The recurring sweep follows Drift:Schedule, and checks a crash left running are queued again at start-up.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class DriftScheduleTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;
    private readonly RecordingScheduler _queued = new();

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    private sealed class RecordingScheduler : IDriftScheduler
    {
        public List<int> Checks { get; } = [];

        public Task EnqueueAsync(int checkId, CancellationToken cancellationToken)
        {
            Checks.Add(checkId);
            return Task.CompletedTask;
        }
    }

    private DriftSchedule Schedule(string schedule) => new(
        _jobs.Get<RecurringJobRegistrar>(), Options.Create(new DriftOptions { Schedule = schedule }),
        _jobs.Get<IDbContextFactory<PortalDb>>(), _queued);

    private RecurringJobDto? Sweep()
    {
        using var connection = _jobs.Get<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == DriftSweepJob.RecurringJobId);
    }

    [Fact]
    public async Task TheSweepRunsOnTheConfiguredCronAndOffRemovesIt()
    {
        await Schedule("*/30 * * * *").StartAsync(default);
        Assert.Equal("*/30 * * * *", Sweep()?.Cron);

        await Schedule("off").StartAsync(default);
        Assert.Null(Sweep());
    }

    [Fact]
    public async Task AScheduleThatIsNotCronIsRefusedNamingTheSetting()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Schedule("every day").StartAsync(default));

        Assert.StartsWith("Drift:Schedule must be a cron expression", refused.Message);
        Assert.Contains("every day", refused.Message);
    }

    [Fact]
    public async Task ACheckLeftRunningByACrashIsQueuedAgainAtStartUp()
    {
        var planned = await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"));
        await _jobs.ApproveAndDeployAsync(planned.Id);
        var running = await new DriftCommands(_jobs.Get<IDbContextFactory<PortalDb>>(), new RecordingScheduler(), Options.Create(new DriftOptions()))
            .StartAsync("orders-dev", WorkflowTest.Alice, default);

        await Schedule("off").StartAsync(default);

        Assert.Equal([running.Id], _queued.Checks);
    }
}
