using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Synthesis;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Hosting;

public static class JobsHosting
{
    public const string HangfireFileName = "hangfire.db";

    /// <summary>
    /// The workflow (<see cref="DependencyInjection.AddPortalJobs"/>) with real jobs: plan and deploy run on Hangfire
    /// (SQLite storage beside the portal database), and, when <see cref="JobsOptions.RunServer"/> is on, this
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
        services.AddSingleton<RevisionClaims>();
        services.AddScoped<PlanJob>();
        services.AddScoped<DeployJob>();
        services.AddScoped<DeploymentCommands>();
        services.AddScoped<StackEventQueries>();
        // Before AddPortalJobs, which only adds its placeholders where nothing is registered.
        services.AddSingleton<IPlanScheduler, HangfirePlanScheduler>();
        services.AddSingleton<IDeployScheduler, HangfireDeployScheduler>();
        services.AddPortalJobs(configuration);

        services.AddHangfire(hangfire => hangfire
            .UseDataDirectory(dataDirectory)
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(Path.Combine(dataDirectory, HangfireFileName), new SQLiteStorageOptions
            {
                // The wait between a submit or an approval and its job. The default 15 s is far too long; at 1 s the
                // pick-up alone took half the 300 ms a plan may take to reach CloudFormation. 200 ms costs an idle
                // portal about 1% of a core more (docs/BENCHMARKS.md).
                QueuePollInterval = TimeSpan.FromMilliseconds(200),
            }));
        if (options.RunServer)
        {
            services.AddHangfireServer(server => server.WorkerCount = options.WorkerCount);
            services.AddHostedService<JobRecovery>();
            services.AddHostedService<SynthesizerWarmUp>();
        }
        return services;
    }

    /// <summary>Hangfire opens its database before the portal's migrator has created the data folder.</summary>
    private static IGlobalConfiguration UseDataDirectory(this IGlobalConfiguration hangfire, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return hangfire;
    }
}
