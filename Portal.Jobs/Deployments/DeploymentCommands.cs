using Microsoft.EntityFrameworkCore;
using Portal.Infra.CloudFormation;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>Stop a running update: CloudFormation rolls the stack back, and the deploy job shows it and ends Failed.</summary>
public sealed record CancelDeployment(int RevisionId);

public sealed class DeploymentCommands(IDbContextFactory<PortalDb> databases, ICloudFormationFactory cloudFormation)
{
    /// <summary>
    /// The owner or an admin cancels a Deploying Update (CancelUpdateStack). A create or a destroy cannot be cancelled
    /// in CloudFormation; a revision that is not deploying yet is cancelled with <see cref="RevisionCommands"/>.
    /// </summary>
    public async Task CancelAsync(CancelDeployment command, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.Revisions.Include(r => r.Environment).SingleOrDefaultAsync(r => r.Id == command.RevisionId, cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no revision with id {command.RevisionId}");
        revision.Environment.EnsureMayBeChangedBy(actor);
        if (revision.Status != RevisionStatus.Deploying || revision.Kind != RevisionKind.Update)
            throw WorkflowException.Conflict(
                $"revision {revision.Number} is a {revision.Kind} that is {revision.Status}; only an update that is deploying can be cancelled");
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
