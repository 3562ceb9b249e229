using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

/// <summary>
/// The recurring sweep (<see cref="DriftOptions.Schedule"/>): starts a drift check of every environment with a deployed
/// stack; one that is deploying (or whose deploy is queued) is skipped until the next sweep.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(timeoutInSeconds: 60)]
public sealed class DriftSweepJob(IDbContextFactory<PortalDb> databases, DriftCommands commands, ILogger<DriftSweepJob> logger)
{
    public const string RecurringJobId = "drift-sweep";

    /// <summary>The portal itself, checking for everyone.</summary>
    private static readonly Actor Portal = new(Person.Portal.Id, Person.Portal.Name, new HashSet<string> { PortalRoles.Admin });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<string> names;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            names = await db.Environments.AsNoTracking()
                .Where(e => e.DeployedRevisionNumber != null && e.Status != EnvironmentStatus.Destroyed)
                .OrderBy(e => e.Name).Select(e => e.Name).ToListAsync(cancellationToken);
        foreach (var name in names)
        {
            try
            {
                await commands.StartAsync(name, Portal, cancellationToken);
            }
            catch (WorkflowException e) when (e.Code is WorkflowErrorCode.Conflict or WorkflowErrorCode.NotFound)
            {
                logger.LogInformation("Drift sweep skips {Environment}: {Reason}", name, e.Message);
            }
        }
    }
}
