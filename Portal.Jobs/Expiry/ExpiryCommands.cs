using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>Set or extend when an environment expires (the same rules as at request time).</summary>
public sealed record SetExpiry(string EnvironmentName, DateTimeOffset ExpiresAt);

public sealed class ExpiryCommands(IDbContextFactory<PortalDb> databases, ExpiryRules rules)
{
    /// <summary>The owner or an admin sets a new date; a destroy that expiry requested and not yet deploying is withdrawn.</summary>
    public async Task<ExpiryView> SetAsync(SetExpiry command, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var environment = await db.Environments
                .Include(e => e.Revisions.Where(r => RevisionTransitions.Open.Contains(r.Status)))
                .SingleOrDefaultAsync(e => e.Name == command.EnvironmentName, cancellationToken)
                ?? throw WorkflowException.NotFound($"there is no environment named '{command.EnvironmentName}'");
            environment.EnsureMayBeChangedBy(actor);
            rules.EnsureValid(environment.Target, command.ExpiresAt);
            environment.SetExpiry(command.ExpiresAt, actor.Person);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return await new ExpiryQueries(databases, rules).GetAsync(command.EnvironmentName, cancellationToken);
    }
}
