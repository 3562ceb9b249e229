using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Jobs.Approvals;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// The workflow: the database (<c>Database:Provider</c>: SQLite under <c>Portal:DataDir</c> or PostgreSQL; migrated
    /// when the host starts), the approval
    /// policy from <c>Targets:&lt;name&gt;:RequiredApprovals</c>, the commands and queries. The host registers the
    /// IPlanScheduler and IDeployScheduler (AddPortalDeployments: Hangfire jobs); register another ITargetPolicy first to replace it.
    /// </summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPortalDb(configuration);
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
        services.AddPortalExpiry();
        return services;
    }
}
