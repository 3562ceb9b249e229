using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>Set or extend when an environment expires (the same rules as at request time).</summary>
public sealed record SetExpiry(string EnvironmentName, DateTimeOffset ExpiresAt);

/// <summary>An environment's expiry as the page and the API show it.</summary>
/// <param name="ExpiredAt">When expiry requested its destroy; null until then.</param>
/// <param name="MaxDays">How far ahead the target allows it to be set.</param>
/// <param name="AutoApprove">Whether the target's policy approves the expiry destroy by itself.</param>
public sealed record ExpiryView(string Environment, DateTimeOffset? ExpiresAt, DateTimeOffset? ExpiredAt, int MaxDays, bool AutoApprove);

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

public sealed class ExpiryQueries(IDbContextFactory<PortalDb> databases, ExpiryRules rules)
{
    public async Task<ExpiryView> GetAsync(string environmentName, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Environments.AsNoTracking()
            .Where(e => e.Name == environmentName)
            .Select(e => new { e.Name, e.Target, e.ExpiresAt, e.ExpiredAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
        var target = rules.For(row.Target);
        return new ExpiryView(row.Name, row.ExpiresAt, row.ExpiredAt, target.MaxDays, target.AutoApprove);
    }
}
