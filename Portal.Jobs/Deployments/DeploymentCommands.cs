using Microsoft.EntityFrameworkCore;
using Portal.Infra.CloudFormation;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>
/// A person's "cancel" on a revision, whatever state it is in: <see cref="CancelRules"/> decide what it means (withdraw
/// it, or roll back its running update) or why it is refused.
/// </summary>
public sealed class DeploymentCommands(IDbContextFactory<PortalDb> databases, ICloudFormationFactory cloudFormation, RevisionCommands revisions)
{
    public async Task<CancelOutcome> CancelAsync(CancelRevision command, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.Revisions.Include(r => r.Environment).SingleOrDefaultAsync(r => r.Id == command.RevisionId, cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no revision with id {command.RevisionId}");
        var decision = CancelRules.Decide(CancelRules.Subject.Of(revision), actor);
        if (decision.Refusal is { } refusal) throw refusal;
        if (decision.Effect == CancelEffect.Withdraw)
            return new CancelOutcome(CancelEffect.Withdraw, await revisions.CancelAsync(command, actor, cancellationToken));

        await RollBackAsync(db, revision, actor, cancellationToken);
        return new CancelOutcome(CancelEffect.RollBack, await db.ReadViewAsync(revision.Id, cancellationToken));
    }

    /// <summary>CancelUpdateStack: CloudFormation rolls the stack back, and the deploy job shows it and ends the revision Failed.</summary>
    private async Task RollBackAsync(PortalDb db, Revision revision, Actor actor, CancellationToken cancellationToken)
    {
        try
        {
            await cloudFormation.For(revision.Environment.Target).CancelUpdateStackAsync(new CancelUpdateStackRequest
            {
                StackName = revision.Environment.StackName,
                ClientRequestToken = DeploymentNames.CancelToken(revision.Id),
            }, cancellationToken);
        }
        catch (CloudFormationException e) when (!e.IsTransient)
        {
            throw WorkflowException.Conflict($"CloudFormation refused to cancel: {e.ErrorMessage}");
        }
        await db.WriteAsync(async () =>
        {
            revision.Environment.Audit(actor.Person, "Cancel requested", revision.Number, "CloudFormation rolls the update back");
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }
}
