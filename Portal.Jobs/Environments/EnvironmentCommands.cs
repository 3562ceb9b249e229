using Microsoft.EntityFrameworkCore;
using Portal.Infra.Environments;
using Portal.Jobs.Data;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

/// <summary>Request a new environment (revision 1, Create), optionally expiring at <paramref name="ExpiresAt"/>.</summary>
public sealed record SubmitEnvironment(EnvironmentSpec Spec, DateTimeOffset? ExpiresAt = null);

/// <summary>Change an environment to <paramref name="Spec"/> (a new revision; its name and target must stay).</summary>
public sealed record SubmitUpdate(string EnvironmentName, EnvironmentSpec Spec);

/// <summary>Delete an environment's stack (a Destroy revision, approved like any change).</summary>
public sealed record RequestDestroy(string EnvironmentName);

/// <summary>
/// The commands that open a revision. Each saves before it returns, then hands the revision to the plan scheduler,
/// and returns the revision as saved by then. A new revision supersedes the environment's open one unless that one
/// is deploying, in which case the command is refused (Conflict) until the deploy ends. Each counts against the
/// actor's <see cref="SubmissionLimit"/>.
/// </summary>
public sealed class EnvironmentCommands(
    IDbContextFactory<PortalDb> databases, EnvironmentRequestValidator validator, ITargetPolicy targets, IPlanScheduler plans,
    ExpiryRules expiry, SubmissionLimit limit)
{
    public async Task<RevisionView> SubmitAsync(SubmitEnvironment command, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.MayRequest)
        {
            throw WorkflowException.Forbidden($"{actor.DisplayName} may not request environments; engineers and admins may");
        }

        var spec = command.Spec;
        var errors = validator.Validate(spec).ToList();
        if (command.ExpiresAt is { } expiresAt)
        {
            errors.AddRange(expiry.Validate(spec.Target, expiresAt));
        }

        if (errors.Count > 0)
        {
            throw WorkflowException.Invalid(errors);
        }

        var requiredApprovals = RequiredApprovals(spec.Target);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.WriteAsync(async () =>
        {
            if (await db.Environments.AnyAsync(e => e.Name == spec.Name, cancellationToken))
            {
                throw WorkflowException.Conflict($"an environment named '{spec.Name}' already exists", "name");
            }

            await limit.EnsureAllowedAsync(db, actor, cancellationToken);

            var environment = ManagedEnvironment.Request(spec, actor.Person, requiredApprovals);
            if (command.ExpiresAt is { } expiresAt)
            {
                environment.SetExpiry(expiresAt, actor.Person);
            }

            db.Environments.Add(environment);
            await db.SaveChangesAsync(cancellationToken);
            return environment.Revisions.Single();
        }, cancellationToken);
        return await PlanAsync(db, revision.Id, cancellationToken);
    }

    public Task<RevisionView> UpdateAsync(SubmitUpdate command, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(command.EnvironmentName, actor, async (db, environment) =>
        {
            validator.EnsureValid(command.Spec);
            var history = await db.ContentHistoryAsync(environment, cancellationToken);
            return environment.RequestChange(command.Spec, actor.Person, RequiredApprovals(environment.Target), history);
        }, cancellationToken);

    public Task<RevisionView> DestroyAsync(RequestDestroy command, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(command.EnvironmentName, actor, async (db, environment) =>
        {
            // The Destroy revision carries the spec it tears down: the deployed one, else the newest.
            var number = environment.DeployedRevisionNumber ?? environment.CurrentRevisionNumber;
            var specJson = await db.Revisions
                .Where(r => r.EnvironmentId == environment.Id && r.Number == number)
                .Select(r => r.SpecJson)
                .SingleAsync(cancellationToken);
            return environment.RequestDestroy(specJson, actor.Person, RequiredApprovals(environment.Target));
        }, cancellationToken);

    private async Task<RevisionView> ChangeAsync(
        string environmentName, Actor actor, Func<PortalDb, ManagedEnvironment, Task<Revision>> change, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.WriteAsync(async () =>
        {
            // Only open revisions: they are what a new one supersedes or waits for.
            var environment = await db.Environments
                .Include(e => e.Revisions.Where(r => RevisionTransitions.Open.Contains(r.Status)))
                .SingleOrDefaultAsync(e => e.Name == environmentName, cancellationToken)
                ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
            environment.EnsureMayBeChangedBy(actor);
            await limit.EnsureAllowedAsync(db, actor, cancellationToken);
            var revision = await change(db, environment);
            await db.SaveChangesAsync(cancellationToken);
            return revision;
        }, cancellationToken);
        return await PlanAsync(db, revision.Id, cancellationToken);
    }

    private async Task<RevisionView> PlanAsync(PortalDb db, int revisionId, CancellationToken cancellationToken)
    {
        await plans.EnqueueAsync(revisionId, cancellationToken);
        return await db.ReadViewAsync(revisionId, cancellationToken);
    }

    private int RequiredApprovals(string target) => targets.RequiredApprovals(target)
        ?? throw WorkflowException.Conflict($"target '{target}' is no longer configured", "target");
}
