using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Portal.Jobs.Cleanup;

public static class CleanupHosting
{
    /// <summary>
    /// The cleanup job; with <paramref name="runsJobs"/>, this process also registers its minutely sweep and, at
    /// start-up, queues every cleanup not done (one a crash interrupted included).
    /// </summary>
    public static IServiceCollection AddStackCleanup(this IServiceCollection services, bool runsJobs)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<StackCleanupJob>();
        if (runsJobs)
            services.AddHostedService<StackCleanupRecovery>();
        return services;
    }
}

/// <summary>Registers the sweep (<see cref="StackCleanupJob.RecurringJobId"/>, every minute) and queues what is pending.</summary>
internal sealed class StackCleanupRecovery(IRecurringJobManager recurring, IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<StackCleanupJob>(StackCleanupJob.RecurringJobId, job => job.DispatchAsync(CancellationToken.None), Cron.Minutely());
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StackCleanupJob>().DispatchAsync(dueOnly: false, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
