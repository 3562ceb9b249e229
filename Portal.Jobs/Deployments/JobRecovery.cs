using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>
/// At start-up, queues again every revision that a job should be working on: a crash between saving a revision
/// and queueing its job, or during the job, must not leave it stranded. A revision whose job Hangfire also still has,
/// or that another worker is deploying right now, is handled once: the jobs claim the revision (<see cref="JobClaims"/>),
/// so the extra job waits for the one working on it and then finds the work done.
/// </summary>
internal sealed class JobRecovery(
    IDbContextFactory<PortalDb> databases, IPlanScheduler plans, IDeployScheduler deploys, ILogger<JobRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stranded = await db.Revisions.AsNoTracking()
            .Where(r => r.Status == RevisionStatus.Submitted || r.Status == RevisionStatus.Planning
                     || r.Status == RevisionStatus.Approved || r.Status == RevisionStatus.Deploying)
            .Select(r => new { r.Id, r.Status }).ToListAsync(cancellationToken);
        foreach (var r in stranded)
        {
            logger.LogInformation("Resuming revision {RevisionId} ({Status})", r.Id, r.Status);
            if (r.Status is RevisionStatus.Submitted or RevisionStatus.Planning)
                await plans.EnqueueAsync(r.Id, cancellationToken);
            else
                await deploys.EnqueueAsync(r.Id, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
