using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Tests.Hostile;

/// <summary>
/// What people's requests have written to the portal's database: environments, revisions, approvals, the audit
/// entries of people (the jobs of earlier tests may still be auditing their own transitions as "portal"), environments
/// with an expiry, and drift checks.
/// </summary>
public sealed record WrittenRows(int Environments, int Revisions, int Approvals, int AuditByPeople, int Expiring, int DriftChecks)
{
    public static async Task<WrittenRows> CountAsync(PortalHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return new(
            await db.Environments.CountAsync(),
            await db.Revisions.CountAsync(),
            await db.Approvals.CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Who.Id != Person.Portal.Id),
            await db.Environments.CountAsync(e => e.ExpiresAt != null),
            await db.DriftChecks.CountAsync());
    }
}
