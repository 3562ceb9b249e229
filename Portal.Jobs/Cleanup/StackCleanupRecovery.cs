using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Jobs.Hosting;

namespace Portal.Jobs.Cleanup;

/// <summary>Registers the sweep (<see cref="StackCleanupJob.RecurringJobId"/>, every minute) and queues what is pending.</summary>
internal sealed class StackCleanupRecovery(RecurringJobRegistrar registrar, IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        registrar.Register(StackCleanupJob.RecurringJobId, recurring => recurring.AddOrUpdate<StackCleanupJob>(StackCleanupJob.RecurringJobId,
            job => job.DispatchAsync(CancellationToken.None), Cron.Minutely()));
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StackCleanupJob>().DispatchAsync(dueOnly: false, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
