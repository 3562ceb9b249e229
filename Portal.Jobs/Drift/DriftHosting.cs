using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Jobs.Drift;

/// <summary>Where a new drift check's job goes.</summary>
public interface IDriftScheduler
{
    Task EnqueueAsync(int checkId, CancellationToken cancellationToken);
}

internal sealed class HangfireDriftScheduler(IBackgroundJobClient jobs) : IDriftScheduler
{
    public Task EnqueueAsync(int checkId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<DriftCheckJob>(job => job.RunAsync(checkId, CancellationToken.None));
        return Task.CompletedTask;
    }
}

/// <summary>Registers (or removes) the recurring sweep at start-up of a process that runs jobs.</summary>
internal sealed class DriftSchedule(IRecurringJobManager recurringJobs, IOptions<DriftOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value.Schedule;
        if (options.Value.ScheduleIsOff)
        {
            recurringJobs.RemoveIfExists(DriftSweepJob.RecurringJobId);
            return Task.CompletedTask;
        }
        try
        {
            recurringJobs.AddOrUpdate<DriftSweepJob>(DriftSweepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), schedule.Trim(),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{DriftOptions.Section}:Schedule must be a cron expression such as \"0 3 * * *\" or \"off\" (was '{schedule}'): {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class DriftHosting
{
    /// <summary>Drift checks (section <c>Drift</c>); <paramref name="runsJobs"/>: this process also registers the recurring sweep.</summary>
    public static IServiceCollection AddDriftDetection(this IServiceCollection services, IConfiguration configuration, bool runsJobs)
    {
        services.AddOptions<DriftOptions>().Bind(configuration.GetSection(DriftOptions.Section))
            .Validate(o => { o.Validate(); return true; });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDriftScheduler, HangfireDriftScheduler>();
        services.AddScoped<DriftCommands>();
        services.AddScoped<DriftQueries>();
        services.AddScoped<DriftCheckJob>();
        services.AddScoped<DriftSweepJob>();
        if (runsJobs)
            services.AddHostedService<DriftSchedule>();
        return services;
    }
}
