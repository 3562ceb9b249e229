using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Synthesis;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Drift;
using Portal.Jobs.Expiry;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Hosting;

public static class JobsHosting
{
    public const string HangfireFileName = "hangfire.db";

    /// <summary>Hangfire's tables on PostgreSQL live in a schema of their own, beside the portal's.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// The wait between a submit or an approval and its job. The default 15 s is far too long; at 1 s the pick-up alone
    /// took half the 300 ms a plan may take to reach CloudFormation. 200 ms costs an idle portal about 1% of a core
    /// (docs/BENCHMARKS.md).
    /// </summary>
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The workflow (<see cref="DependencyInjection.AddPortalJobs"/>) with real jobs: plan and deploy run on Hangfire
    /// (storage in the portal's database engine: SQLite beside the portal database, or the same PostgreSQL server, so
    /// every worker takes from one queue and each job runs once), and, when <see cref="JobsOptions.RunServer"/> is on, this
    /// process also runs them and resumes the revisions a crash interrupted.
    /// </summary>
    public static IServiceCollection AddPortalDeployments(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var dataDirectory = PortalDatabase.DataDirectory(configuration);

        services.AddCloudFormation(configuration);
        services.AddSingleton<ITemplateSynthesizer, TemplateSynthesizer>();
        services.AddSingleton<ChangeSets>();
        services.AddSingleton<StackEventFeed>();
        services.AddSingleton<RevisionMover>();
        services.AddSingleton<JobClaims>();
        services.AddScoped<PlanJob>();
        services.AddScoped<PlanAdmission>();
        services.AddScoped<DeployJob>();
        services.AddScoped<DeploymentCommands>();
        services.AddScoped<StackEventQueries>();
        services.AddSingleton<DeployEtaQueries>();
        services.AddSingleton<IPlanScheduler, HangfirePlanScheduler>();
        services.AddSingleton<IDeployScheduler, HangfireDeployScheduler>();
        services.AddPortalJobs(configuration);
        services.AddExpiryAndNotificationJobs(configuration, options.RunServer);
        services.AddDriftDetection(configuration, options.RunServer);
        services.AddStackCleanup(options.RunServer);

        // This host's own storage, registered before AddHangfire (which only adds JobStorage.Current where none is):
        // Hangfire's global storage is process-wide, and with two hosts in one process (tests, a benchmark) a client
        // resolved late would enqueue into the other host's database.
        var provider = PortalDatabase.Provider(configuration);
        services.AddSingleton(_ => Storage(provider, configuration, dataDirectory));
        // Likewise its own activator: AddHangfire's default is the process-wide one, set by whichever host configured
        // Hangfire last, which would run this host's jobs with the other host's services.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((services, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(services.GetRequiredService<ILoggerFactory>()))
            .UseStorage(services.GetRequiredService<JobStorage>()));
        if (options.RunServer)
        {
            services.AddHangfireServer((provider, server) =>
            {
                server.Activator = provider.GetRequiredService<JobActivator>();
                server.WorkerCount = options.WorkerCount;
                // A job retried "in 2 s" waits for the scheduler's poll (15 s by default) before it is queued again.
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddHostedService<JobRecovery>();
            services.AddHostedService<SynthesizerWarmUp>();
        }
        return services;
    }

    private static JobStorage Storage(DatabaseProvider provider, IConfiguration configuration, string dataDirectory)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                QueuePollInterval = QueuePollInterval,
                // A fetched job stays invisible to other workers only as long as its worker keeps renewing it: a deploy
                // may watch a stack for many minutes without being taken twice, and a crashed worker's job is taken
                // again after 5 minutes (start-up recovery of the portal resumes it sooner when a worker restarts).
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            };
            return new PostgreSqlStorage(
                new NpgsqlConnectionFactory(PortalDatabase.PostgresConnectionString(configuration), options), options);
        }

        // Hangfire opens its database before the portal's migrator has created the data folder.
        Directory.CreateDirectory(dataDirectory);
        return new SQLiteStorage(Path.Combine(dataDirectory, HangfireFileName), new SQLiteStorageOptions
        {
            QueuePollInterval = QueuePollInterval,
        });
    }
}
