using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Jobs.Notifications;

namespace Portal.Jobs.Expiry;

/// <summary>Configuration section <c>Expiry</c>.</summary>
public sealed class ExpiryOptions
{
    public const string Section = "Expiry";

    /// <summary>How often the expiry job runs (a Hangfire cron expression, UTC; every 5 minutes by default).</summary>
    public string Schedule { get; set; } = "*/5 * * * *";
}

public static class ExpiryHosting
{
    /// <summary>The expiry rules, commands and queries (no Hangfire): what pages and the API use.</summary>
    public static IServiceCollection AddPortalExpiry(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ExpiryRules>();
        services.AddScoped<ExpiryCommands>();
        services.AddScoped<ExpiryQueries>();
        return services;
    }

    /// <summary>
    /// The Hangfire side: the expiry job and its policy approvals, the notification dispatcher and webhook deliveries;
    /// with <paramref name="runServer"/>, the recurring jobs (expiry on <see cref="ExpiryOptions.Schedule"/>, the
    /// notification sweep every minute) are registered at start-up.
    /// </summary>
    public static IServiceCollection AddExpiryAndNotificationJobs(this IServiceCollection services, IConfiguration configuration, bool runServer)
    {
        services.AddOptions<ExpiryOptions>().Bind(configuration.GetSection(ExpiryOptions.Section));
        services.AddScoped<ExpiryJob>();
        services.AddScoped<ExpiryApprovals>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<WebhookClient>();
        services.AddScoped<WebhookDelivery>();
        if (runServer)
            services.AddHostedService<RecurringJobs>();
        return services;
    }
}

/// <summary>
/// Registers (or updates) the recurring jobs at start-up; Hangfire runs each occurrence once across workers. A schedule
/// that is not a cron expression stops the start, naming the setting.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager recurring, IOptions<ExpiryOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value.Schedule;
        try
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
            recurring.AddOrUpdate<ExpiryJob>(ExpiryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), schedule.Trim(),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"{ExpiryOptions.Section}:Schedule must be a cron expression such as \"*/5 * * * *\" (was '{schedule}'): {e.Message}", e);
        }
        recurring.AddOrUpdate<NotificationDispatcher>(NotificationDispatcher.RecurringJobId,
            dispatcher => dispatcher.DispatchAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
