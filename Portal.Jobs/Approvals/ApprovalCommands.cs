using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Approvals;

/// <summary>Approve a revision awaiting approval; the comment is optional.</summary>
public sealed record ApproveRevision(int RevisionId, string? Comment = null);

/// <summary>Reject a revision awaiting approval; the comment (the reason) is required.</summary>
public sealed record RejectRevision(int RevisionId, string Comment);

/// <summary>
/// Approvers' decisions, under <see cref="ApprovalPolicy"/>. The approval that completes the target's
/// RequiredApprovals moves the revision to Approved and, once saved, queues it with the deploy scheduler.
/// </summary>
public sealed class ApprovalCommands(IDbContextFactory<PortalDb> databases, ITargetPolicy targets, IDeployScheduler deploys)
{
    public Task<RevisionView> ApproveAsync(ApproveRevision command, Actor actor, CancellationToken cancellationToken)
    {
        if (DecisionValidator.Validate(command) is { Count: > 0 } errors)
        {
            throw WorkflowException.Invalid(errors);
        }

        return DecideAsync(command.RevisionId, actor, ApprovalDecision.Approved, command.Comment, cancellationToken);
    }

    public Task<RevisionView> RejectAsync(RejectRevision command, Actor actor, CancellationToken cancellationToken)
    {
        if (DecisionValidator.Validate(command) is { Count: > 0 } errors)
        {
            throw WorkflowException.Invalid(errors);
        }

        return DecideAsync(command.RevisionId, actor, ApprovalDecision.Rejected, command.Comment, cancellationToken);
    }

    private async Task<RevisionView> DecideAsync(
        int revisionId, Actor actor, ApprovalDecision decision, string? comment, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var approved = await db.WriteAsync(async () =>
        {
            var revision = await db.LoadForChangeAsync(revisionId, cancellationToken);
            var target = revision.Environment.Target;
            var requiredApprovals = targets.RequiredApprovals(target)
                ?? throw WorkflowException.Conflict($"target '{target}' is no longer configured", "target");
            revision.Decide(actor, decision, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), requiredApprovals);
            await db.SaveChangesAsync(cancellationToken);
            return revision.Status == RevisionStatus.Approved;
        }, cancellationToken);

        if (approved)
        {
            await deploys.EnqueueAsync(revisionId, cancellationToken);
        }

        return await db.ReadViewAsync(revisionId, cancellationToken);
    }
}
