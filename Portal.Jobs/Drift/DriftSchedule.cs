using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;

namespace Portal.Jobs.Drift;

/// <summary>
/// At start-up of a process that runs jobs: registers (or removes) the recurring sweep, and queues again the checks a
/// crash left running (the job follows the detection it had started, so a check whose job Hangfire still has runs once more harmlessly).
/// </summary>
internal sealed class DriftSchedule(
    RecurringJobRegistrar registrar, IOptions<DriftOptions> options, IDbContextFactory<PortalDb> databases, IDriftScheduler scheduler)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            foreach (var id in await db.DriftChecks.Where(c => c.Status == DriftCheckStatus.Running).Select(c => c.Id).ToListAsync(cancellationToken))
                await scheduler.EnqueueAsync(id, cancellationToken);
        }

        var schedule = options.Value.Schedule;
        if (options.Value.ScheduleIsOff)
        {
            registrar.Register(DriftSweepJob.RecurringJobId, recurring => recurring.RemoveIfExists(DriftSweepJob.RecurringJobId));
            return;
        }
        try
        {
            registrar.Register(DriftSweepJob.RecurringJobId, recurring => recurring.AddOrUpdate<DriftSweepJob>(DriftSweepJob.RecurringJobId,
                job => job.RunAsync(CancellationToken.None), schedule.Trim(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{DriftOptions.Section}:Schedule must be a cron expression such as \"0 3 * * *\" or \"off\" (was '{schedule}'): {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
