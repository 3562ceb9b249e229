using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Guardrails;
using Portal.Infra.Synthesis;
using Portal.Infra.Targets;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Environments;
using Portal.Jobs.Data;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>
/// Plans a revision: synthesize, run the guardrail, create the change set and wait for it, store what reviewers need,
/// then AwaitingApproval (PlanFailed with CloudFormation's reason otherwise). A Submitted revision starts when the fair
/// plan queue admits it (<see cref="PlanAdmission"/>); every run first admits what may start, and again after its plan.
/// Safe to run again: it continues a plan a crash interrupted, with the same change set name and token.
/// </summary>
[AutomaticRetry(Attempts = JobRetries.Attempts, DelaysInSeconds = [2, 5, 10, 20, 30, 60, 120, 300])]
public sealed class PlanJob(
    IDbContextFactory<PortalDb> databases,
    ITemplateSynthesizer synthesizer,
    ICloudFormationFactory cloudFormation,
    ChangeSets changeSets,
    IOptions<TargetOptions> targets,
    RevisionMover revisions,
    StackEventFeed feed,
    JobClaims claims,
    PlanAdmission admission,
    StackCleanupJob cleanups,
    ExpiryApprovals expiryApprovals,
    ILogger<PlanJob> logger)
{
    public async Task RunAsync(int revisionId, CancellationToken cancellationToken)
    {
        await admission.AdmitAsync(revisionId, cancellationToken);
        if (await PlanAdmittedAsync(revisionId, cancellationToken))
            await admission.AdmitAsync(null, cancellationToken); // this plan's turn is free
    }

    /// <returns>Whether the revision was Planning (admitted, or resumed after a crash) and this job planned it.</returns>
    private async Task<bool> PlanAdmittedAsync(int revisionId, CancellationToken cancellationToken)
    {
        await using var claim = await claims.ClaimRevisionAsync(revisionId, cancellationToken);
        Revision? revision;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            revision = await db.Revisions.AsNoTracking().Include(r => r.Environment).SingleOrDefaultAsync(r => r.Id == revisionId, cancellationToken);
        if (revision?.Status != RevisionStatus.Planning)
            return false; // waiting for its turn, planned already, superseded or cancelled meanwhile

        RevisionPlan plan;
        string templateJson;
        try
        {
            (plan, templateJson) = await PlanAsync(revision, cancellationToken);
        }
        // Transient trouble (throttling past the client's retries, an unreachable endpoint) is not a verdict on the
        // plan: the exception goes to Hangfire, which runs the job again, and the plan continues where it stopped.
        catch (Exception e) when (e is PlanFailedException or SynthesisException or CloudFormationException { IsTransient: false })
        {
            logger.LogWarning(e, "Plan of revision {RevisionId} failed", revisionId);
            var failed = await revisions.MoveAsync(revisionId, r => r.Status == RevisionStatus.Planning,
                r => r.TransitionTo(RevisionStatus.PlanFailed, Person.Portal, e.Message), cancellationToken);
            await CleanUpIfEndedMeanwhileAsync(failed, revision.ChangeSetName, null, cancellationToken);
            return true;
        }

        var planned = await revisions.MoveAsync(revisionId, r => r.Status == RevisionStatus.Planning, r =>
        {
            r.RecordPlan(plan.ChangeSetId, plan.ChangeSetName, plan.ToJson(), templateJson);
            if (plan.Guardrail is { Passed: false } guardrail)
                r.TransitionTo(RevisionStatus.PlanFailed, Person.Portal,
                    $"The guardrails ({guardrail.Name}) failed: " + string.Join(" ", guardrail.Findings.Select(f => $"{f.Rule}: {f.Message}")));
            else
                r.TransitionTo(RevisionStatus.AwaitingApproval, Person.Portal,
                    plan.NoChanges ? "no changes"
                    : plan.StackDeletedOutsideThePortal ? $"the stack was deleted outside the portal; {plan.Changes.Count} changes to review"
                    : $"{plan.Changes.Count} changes to review");
        }, cancellationToken);
        await CleanUpIfEndedMeanwhileAsync(planned, plan.ChangeSetName, plan.ChangeSetId, cancellationToken);
        if (ExpiryRules.IsExpiryRequester(revision.RequestedBy.Id))
            await expiryApprovals.ApproveIfPolicyAllowsAsync(revisionId, cancellationToken);
        return true;
    }

    /// <summary>
    /// The revision was withdrawn or superseded while this job planned it: its end already asked for the cleanup of this
    /// plan's change set, but a cleanup in another process (without the claim that makes it wait for this job) may have
    /// looked before the change set existed, so ask again now that it does.
    /// </summary>
    private async Task CleanUpIfEndedMeanwhileAsync(Revision? revision, string? changeSetName, string? changeSetId, CancellationToken cancellationToken)
    {
        if (revision is not { Status: RevisionStatus.Cancelled or RevisionStatus.Superseded } || changeSetName is null
            || revision.ChangeSetName != changeSetName)
            return;
        await revisions.MoveAsync(revision.Id, r => !RevisionTransitions.IsOpen(r.Status) && r.ChangeSetName == changeSetName,
            r => r.ChangeSetMadeAfterEnd(changeSetId), cancellationToken);
    }

    /// <returns>The plan, and the synthesized template it was made from (stored for the architecture map).</returns>
    private async Task<(RevisionPlan Plan, string TemplateJson)> PlanAsync(Revision revision, CancellationToken cancellationToken)
    {
        var environment = revision.Environment;
        var spec = SpecJson.Parse(revision.SpecJson);
        var request = new SynthRequest(spec, revision.RequestedBy.Name);
        var client = cloudFormation.For(environment.Target);

        if (revision.Kind == RevisionKind.Destroy)
        {
            var template = await synthesizer.SynthesizeAsync(request, cancellationToken);
            // No change set for a delete: reviewers see every resource of the stack go.
            var stack = await ChangeSets.DescribeAsync(client, environment.StackName, cancellationToken);
            return (new RevisionPlan
            {
                Operation = "DELETE",
                StackId = stack?.StackId,
                NoChanges = stack is null,
                Changes = [.. template.Resources().Select(r => new PlannedChange("Remove", r.LogicalId, r.Type, null, []))],
                ResourceCounts = template.ResourceCounts,
                TemplateBytes = template.TemplateBytes,
                Dependencies = template.Dependencies(),
                Notes = stack is null ? [$"Stack {environment.StackName} does not exist; there is nothing to delete."] : [],
            }, template.TemplateJson);
        }

        var (synth, guardrail) = await PlanGuardrails.SynthesizeAndCheckAsync(synthesizer, request, cancellationToken);
        if (!guardrail.Passed)
            return (new RevisionPlan { Operation = "NONE", Guardrail = guardrail, ResourceCounts = synth.ResourceCounts, TemplateBytes = synth.TemplateBytes },
                synth.TemplateJson);

        // A stack a cleanup decided to delete (left REVIEW_IN_PROGRESS by an earlier create) is gone before this plan uses the name.
        await cleanups.FinishStackDeletionsAsync(environment.Id, cancellationToken);
        var target = targets.Value.Get(environment.Target);
        var changeSetName = revision.ChangeSetName ?? DeploymentNames.ChangeSet(revision.Number, revision.Id, revision.Version);
        var changeSet = await changeSets.PlanAsync(client, new PlanRequest
        {
            StackName = environment.StackName,
            TemplateBody = synth.TemplateJson,
            ChangeSetName = changeSetName,
            ClientToken = DeploymentNames.CreateToken(revision.Id, revision.Version),
            RoleArn = target.CloudFormationRoleArn,
            // Stable across revisions: a stack tag that changed would touch every taggable resource.
            Tags = [new Tag { Key = "portal:environment", Value = environment.Name }],
            Description = $"Portal: {environment.Name} revision {revision.Number} by {revision.RequestedBy.Name}",
            StackExpected = environment.DeployedRevisionNumber is not null && environment.Status != EnvironmentStatus.Destroyed,
        }, cancellationToken);
        feed.Publish(environment.Name);
        return (new RevisionPlan
        {
            Operation = changeSet.ChangeSetType == ChangeSetType.Create ? "CREATE" : "UPDATE",
            StackId = changeSet.StackId,
            ChangeSetId = changeSet.ChangeSetId,
            ChangeSetName = changeSetName,
            NoChanges = changeSet.HasNoChanges,
            Changes = changeSet.Changes,
            Guardrail = guardrail,
            ResourceCounts = synth.ResourceCounts,
            TemplateBytes = synth.TemplateBytes,
            Dependencies = synth.Dependencies(),
            Notes = changeSet.Notes,
            StackDeletedOutsideThePortal = changeSet.StackDeletedOutsideThePortal,
        }, synth.TemplateJson);
    }
}
