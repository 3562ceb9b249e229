using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Jobs.Hosting;
using Portal.Jobs.Notifications;

namespace Portal.Jobs.Expiry;

/// <summary>
/// Registers (or updates) the recurring jobs at start-up; Hangfire runs each occurrence once across workers. A schedule
/// that is not a cron expression stops the start, naming the setting.
/// </summary>
internal sealed class RecurringJobs(RecurringJobRegistrar registrar, IOptions<ExpiryOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value.Schedule;
        try
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
            registrar.Register(ExpiryJob.RecurringJobId, recurring => recurring.AddOrUpdate<ExpiryJob>(ExpiryJob.RecurringJobId,
                job => job.RunAsync(CancellationToken.None), schedule.Trim(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"{ExpiryOptions.Section}:Schedule must be a cron expression such as \"*/5 * * * *\" (was '{schedule}'): {e.Message}", e);
        }
        registrar.Register(NotificationDispatcher.RecurringJobId, recurring => recurring.AddOrUpdate<NotificationDispatcher>(
            NotificationDispatcher.RecurringJobId, dispatcher => dispatcher.DispatchAsync(CancellationToken.None), Cron.Minutely()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
