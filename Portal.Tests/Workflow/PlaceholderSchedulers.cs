using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Workflow;

public static class PlaceholderSchedulerRegistration
{
    /// <summary>The placeholder schedulers, where the test registered no scheduler of its own.</summary>
    public static IServiceCollection AddPlaceholderSchedulers(this IServiceCollection services)
    {
        services.TryAddScoped<IPlanScheduler, PlaceholderPlanScheduler>();
        services.TryAddScoped<IDeployScheduler, PlaceholderDeployScheduler>();
        return services;
    }
}

/// <summary>
/// Stands in for the plan job where a test runs no job server: moves a Submitted revision through Planning to AwaitingApproval
/// at once, without a change set, and says so in the revision's status reason.
/// </summary>
internal sealed class PlaceholderPlanScheduler(IDbContextFactory<PortalDb> databases) : IPlanScheduler
{
    public const string Note = "plan placeholder: no change set yet";

    public async Task EnqueueAsync(int revisionId, CancellationToken cancellationToken)
    {
        await MoveAsync(revisionId, RevisionStatus.Planning, cancellationToken);
        await MoveAsync(revisionId, RevisionStatus.AwaitingApproval, cancellationToken);
    }

    // One save per step, as the real job will: each status is visible and audited on its own.
    private async Task MoveAsync(int revisionId, RevisionStatus to, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var revision = await db.LoadForChangeAsync(revisionId, cancellationToken);
            revision.TransitionTo(to, Person.Portal, Note);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }
}

/// <summary>Stands in for the deploy job where a test runs no job server: the revision stays Approved, queued.</summary>
internal sealed class PlaceholderDeployScheduler(ILogger<PlaceholderDeployScheduler> logger) : IDeployScheduler
{
    public Task EnqueueAsync(int revisionId, CancellationToken cancellationToken)
    {
        logger.LogInformation("Revision {RevisionId} is approved and queued; no job server deploys it here", revisionId);
        return Task.CompletedTask;
    }
}
