using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>Withdraw an open revision that is not deploying yet. <paramref name="Reason"/> is optional.</summary>
public sealed record CancelRevision(int RevisionId, string? Reason = null);

public sealed class RevisionCommands(IDbContextFactory<PortalDb> databases)
{
    /// <summary>
    /// The environment's owner or an admin cancels a Submitted, Planning, PlanFailed, AwaitingApproval or Approved
    /// revision. A Deploying one cannot be cancelled here (DeploymentCommands cancels a running update in CloudFormation).
    /// </summary>
    public async Task<RevisionView> CancelAsync(CancelRevision command, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var revision = await db.LoadForChangeAsync(command.RevisionId, cancellationToken);
            revision.Environment.EnsureMayBeChangedBy(actor);
            ExpiryRules.EnsureMayWithdraw(revision, actor);
            var reason = string.IsNullOrWhiteSpace(command.Reason)
                ? $"cancelled by {actor.DisplayName}"
                : $"cancelled by {actor.DisplayName}: {command.Reason.Trim()}";
            revision.TransitionTo(RevisionStatus.Cancelled, actor.Person, reason);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return await db.ReadViewAsync(command.RevisionId, cancellationToken);
    }
}
