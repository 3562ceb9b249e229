using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>An environment's expiry as the page and the API show it.</summary>
/// <param name="ExpiredAt">When expiry requested its destroy; null until then.</param>
/// <param name="MaxDays">How far ahead the target allows it to be set.</param>
/// <param name="AutoApprove">Whether the target's policy approves the expiry destroy by itself.</param>
public sealed record ExpiryView(string Environment, DateTimeOffset? ExpiresAt, DateTimeOffset? ExpiredAt, int MaxDays, bool AutoApprove);

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
