using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>
/// Approves an expiry destroy when its target's policy says so (<c>Targets:&lt;name&gt;:Expiry:AutoApprove</c>), then
/// queues its deploy. Called when the plan job finishes such a revision, and by every expiry run for any it missed.
/// </summary>
public sealed class ExpiryApprovals(IDbContextFactory<PortalDb> databases, ITargetPolicy targets, IDeployScheduler deploys)
{
    public async Task ApproveIfPolicyAllowsAsync(int revisionId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var approved = await db.WriteAsync(async () =>
        {
            var revision = await db.LoadForChangeAsync(revisionId, cancellationToken);
            var target = revision.Environment.Target;
            if (revision.Status != RevisionStatus.AwaitingApproval || revision.Kind != RevisionKind.Destroy
                || !ExpiryRules.IsExpiryRequester(revision.RequestedBy.Id) || targets.Expiry(target) is not { AutoApprove: true })
                return false;
            revision.ApproveByPolicy(ExpiryRules.Policy,
                $"target '{target}' approves expiry destroys by itself (Targets:{target}:Expiry:AutoApprove)");
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (approved)
            await deploys.EnqueueAsync(revisionId, cancellationToken);
    }
}
