using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>Withdraw an open revision that is not deploying yet. <paramref name="Reason"/> is optional.</summary>
public sealed record CancelRevision(int RevisionId, string? Reason = null);

public sealed class RevisionCommands(IDbContextFactory<PortalDb> databases)
{
    /// <summary>
    /// Withdraws a Submitted, Planning, PlanFailed, AwaitingApproval or Approved revision (the environment's owner or an
    /// admin, see <see cref="CancelRules"/>). Pages and the API cancel through <see cref="Deployments.DeploymentCommands"/>,
    /// which also rolls back a deploying update.
    /// </summary>
    public async Task<RevisionView> CancelAsync(CancelRevision command, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var revision = await db.LoadForChangeAsync(command.RevisionId, cancellationToken);
            if (CancelRules.RefusalToWithdraw(CancelRules.Subject.Of(revision), actor) is { } refusal)
            {
                throw refusal;
            }

            var reason = string.IsNullOrWhiteSpace(command.Reason)
                ? $"cancelled by {actor.DisplayName}"
                : $"cancelled by {actor.DisplayName}: {command.Reason.Trim()}";
            revision.TransitionTo(RevisionStatus.Cancelled, actor.Person, reason);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return await db.ReadViewAsync(command.RevisionId, cancellationToken);
    }
}
