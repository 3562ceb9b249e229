using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

/// <summary>
/// Starts drift checks. Anyone with a role may ask (engineers, approvers, admins): detection only reads the stack, and an
/// approver deciding on an update needs to know whether it would overwrite changes made by hand. One check per
/// environment at a time, and none while a deploy is queued or running on it (one operation per environment).
/// </summary>
public sealed class DriftCommands(IDbContextFactory<PortalDb> databases, IDriftScheduler scheduler, Microsoft.Extensions.Options.IOptions<DriftOptions> options)
{
    /// <summary>The check now running for the environment: a new one, or the one already running.</summary>
    public async Task<DriftCheckView> StartAsync(string environmentName, Actor actor, CancellationToken cancellationToken)
    {
        if (!DriftRules.MayCheck(actor))
            throw WorkflowException.Forbidden($"{actor.DisplayName} may not check drift: it needs the engineer, approver or admin role");
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var (check, isNew) = await db.WriteAsync(async () =>
        {
            var environment = await db.Environments.AsNoTracking()
                .Include(e => e.Revisions.Where(r => r.Status == RevisionStatus.Approved || r.Status == RevisionStatus.Deploying))
                .SingleOrDefaultAsync(e => e.Name == environmentName, cancellationToken)
                ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
            if (DriftRules.Unavailable(environment) is { } busy)
                throw WorkflowException.Conflict(busy);

            var now = DateTimeOffset.UtcNow;
            var running = await db.DriftChecks
                .Where(c => c.EnvironmentId == environment.Id && c.Status == DriftCheckStatus.Running)
                .OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
            // A check older than twice the deadline was lost with its process: it is replaced, not waited for.
            if (running is not null && now - running.StartedAt < options.Value.Deadline * 2)
                return (running, false);
            running?.Fail("interrupted: the portal stopped before the check finished", now);

            var check = DriftCheck.Start(environment.Id, actor.Person, now);
            db.DriftChecks.Add(check);
            await db.SaveChangesAsync(cancellationToken);
            return (check, true);
        }, cancellationToken);
        if (isNew)
            await scheduler.EnqueueAsync(check.Id, cancellationToken);
        return DriftCheckView.From(check, environmentName);
    }
}
