using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;

namespace Portal.Jobs.StackEvents;

public static class LiveEventsHosting
{
    /// <summary>
    /// What a process that shows live views needs (the web host; a worker only announces): <see cref="LiveEventsOptions"/>,
    /// and on PostgreSQL the <see cref="LiveNotificationListener"/> that wakes them when another process stored events.
    /// </summary>
    public static IServiceCollection AddLiveEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveEventsOptions>(configuration.GetSection(LiveEventsOptions.Section));
        if (DatabaseConfiguration.Provider(configuration) == DatabaseProvider.Postgres)
        {
            var connectionString = DatabaseConfiguration.PostgresConnectionString(configuration);
            services.AddHostedService(provider => new LiveNotificationListener(connectionString,
                provider.GetRequiredService<StackEventFeed>(), provider.GetRequiredService<ILogger<LiveNotificationListener>>()));
        }
        return services;
    }
}
