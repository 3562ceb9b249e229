using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portal.Infra.Budgets;
using Portal.Jobs.Approvals;
using Portal.Jobs.Budgets;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Drift;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Hosting;
using Portal.Jobs.Notifications;
using Portal.Jobs.Preferences;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs;

/// <summary>What Portal.Jobs adds to a host: the workflow pages and the API work with, and the jobs that carry it out.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// The workflow: the database (<c>Database:Provider</c>: SQLite under <c>Portal:DataDir</c> or PostgreSQL; migrated
    /// when the host starts), the approval policy from <c>Targets:&lt;name&gt;:RequiredApprovals</c>, the commands and
    /// queries of environments, revisions, approvals and expiry. The target policy is added only where the host has
    /// none. The plan and deploy schedulers the commands need are the Hangfire jobs of <see cref="AddPortalJobs"/>.
    /// </summary>
    public static IServiceCollection AddPortalWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        AddDatabase(services, configuration);
        services.AddHostedService<PortalDbMigrator>();
        services.AddLogging();

        services.TryAddSingleton<ITargetPolicy>(_ => new ConfigurationTargetPolicy(configuration));

        services.AddOptions<SubmissionOptions>().Bind(configuration.GetSection(SubmissionOptions.Section))
            .Validate(o => { o.Validate(); return true; });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SubmissionLimit>();
        services.AddScoped<EnvironmentRequestValidator>();
        services.AddScoped<EnvironmentCommands>();
        services.AddScoped<EnvironmentQueries>();
        services.AddScoped<RevisionCommands>();
        services.AddScoped<ApprovalCommands>();
        services.AddScoped<ApprovalQueue>();
        services.AddScoped<ExpiryRules>();
        services.AddScoped<ExpiryCommands>();
        services.AddScoped<ExpiryQueries>();
        services.AddScoped<ThemePreferences>();
        return services;
    }

    /// <summary>
    /// The deployments and everything else that runs on Hangfire: plan and deploy (the real schedulers), live stack
    /// events, expiry and notifications, drift checks and stack cleanup, on a Hangfire storage in the portal's database
    /// engine (<see cref="HangfireStorage"/>). With <see cref="JobsOptions.RunServer"/> on, this process also runs the jobs,
    /// registers the recurring ones and resumes the work a crash interrupted. Needs <c>AddPortalInfra</c> and
    /// <see cref="AddPortalWorkflow"/>.
    /// </summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.TryAddSingleton(TimeProvider.System);

        // Deployments: plan, deploy and what shows them.
        services.AddSingleton<IPlanScheduler, HangfirePlanScheduler>();
        services.AddSingleton<IDeployScheduler, HangfireDeployScheduler>();
        services.AddSingleton<StackEventFeed>();
        services.Configure<LiveEventsOptions>(configuration.GetSection(LiveEventsOptions.Section));
        services.AddSingleton<StackEventIntakeStore>();
        services.AddSingleton<RevisionMover>();
        services.AddSingleton<JobClaims>();
        services.AddScoped<PlanJob>();
        services.AddScoped<PlanAdmission>();
        services.AddScoped<DeployJob>();
        services.AddScoped<DeploymentCommands>();
        services.AddScoped<StackEventQueries>();
        services.AddOptions<ServiceHealthOptions>().Bind(configuration.GetSection(ServiceHealthOptions.Section));
        services.AddScoped<ServiceDiagnosisReader>();
        services.AddScoped<EnvironmentHealthQueries>();
        services.AddSingleton<EnvironmentHealthCache>();
        services.AddSingleton<DeployEtaQueries>();

        // Expiry and notifications: the expiry job (on Expiry:Schedule) with its policy approvals, and the webhook deliveries.
        services.AddOptions<ExpiryOptions>().Bind(configuration.GetSection(ExpiryOptions.Section));
        services.AddScoped<ExpiryJob>();
        services.AddScoped<ExpiryApprovals>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<WebhookClient>();
        services.AddScoped<WebhookDelivery>();

        // Drift checks (section Drift), one at a time per environment, and the recurring sweep.
        services.AddOptions<DriftOptions>().Bind(configuration.GetSection(DriftOptions.Section))
            .Validate(o => { o.Validate(); return true; });
        services.TryAddSingleton<IDriftScheduler, HangfireDriftScheduler>();
        services.AddScoped<DriftCommands>();
        services.AddScoped<DriftQueries>();
        services.AddScoped<DriftCheckJob>();
        services.AddScoped<DriftSweepJob>();

        // Stack cleanup after a destroy.
        services.AddScoped<StackCleanupJob>();

        AddHangfire(services, configuration, options);
        return services;
    }

    /// <summary>
    /// The configured context behind <c>IDbContextFactory&lt;PortalDb&gt;</c> (what every caller uses), and a scoped
    /// <see cref="PortalDb"/> for libraries that resolve the context itself (data protection).
    /// </summary>
    private static void AddDatabase(IServiceCollection services, IConfiguration configuration)
    {
        switch (DatabaseConfiguration.Provider(configuration))
        {
            case DatabaseProvider.Postgres:
                var connectionString = DatabaseConfiguration.PostgresConnectionString(configuration);
                services.AddDbContextFactory<PostgresPortalDb>((provider, options) =>
                    DatabaseConfiguration.ConfigurePostgres(options, connectionString).AddInterceptors(new StackCleanupNudge(provider)));
                services.AddSingleton<IDbContextFactory<PortalDb>, PortalDbFactory<PostgresPortalDb>>();
                // Every process on this database shares each target's call budget (AddPortalInfra's TryAdd keeps this one).
                services.Replace(ServiceDescriptor.Singleton<ICallBudgetStore, PostgresCallBudgetStore>());
                break;
            default:
                var dataDirectory = DatabaseConfiguration.DataDirectory(configuration);
                services.AddDbContextFactory<SqlitePortalDb>((provider, options) =>
                    DatabaseConfiguration.ConfigureSqlite(options, dataDirectory).AddInterceptors(new StackCleanupNudge(provider)));
                services.AddSingleton<IDbContextFactory<PortalDb>, PortalDbFactory<SqlitePortalDb>>();
                break;
        }
        services.AddScoped<PortalDb>(provider => provider.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContext());
    }

    /// <summary>The Hangfire client on this host's storage and, with <see cref="JobsOptions.RunServer"/>, its server and start-up work.</summary>
    private static void AddHangfire(IServiceCollection services, IConfiguration configuration, JobsOptions options)
    {
        // This host's own storage and activator, not Hangfire's process-wide ones: with two hosts in one process (tests, a
        // benchmark) a client or server resolved late would use the other host's database, or run jobs with its services.
        // AddHangfire adds its process-wide defaults only where these are not registered.
        services.AddSingleton(_ => HangfireStorage.Create(configuration));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        services.AddSingleton<RecurringJobRegistrar>();
        if (!options.RunServer) return;

        // Started in this order: the recurring jobs and the pending drift checks and cleanups are queued before the server takes jobs.
        services.AddHostedService<RecurringJobs>();
        services.AddHostedService<DriftSchedule>();
        services.AddHostedService<StackCleanupRecovery>();
        services.AddHangfireServer((provider, server) =>
        {
            server.Activator = provider.GetRequiredService<JobActivator>();
            server.WorkerCount = options.WorkerCount;
            // A job retried "in 2 s" waits for the scheduler's poll (15 s by default) before it is queued again.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        services.AddHostedService<JobRecovery>();
        // Where jobs run, the targets' intake queues are read (several such processes share each queue's messages).
        services.AddHostedService<StackEventIntake>();
        if (options.WarmUpSynthesizer)
            services.AddHostedService<SynthesizerWarmUp>();
    }
}
