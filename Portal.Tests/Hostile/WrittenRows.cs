using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;
using Portal.Tests.Web;

namespace Portal.Tests.Hostile;

/// <summary>
/// What people's requests have written to the portal's database: environments, revisions, approvals and the audit
/// entries of people (the jobs of earlier tests may still be auditing their own transitions as "portal").
/// </summary>
public sealed record WrittenRows(int Environments, int Revisions, int Approvals, int AuditByPeople)
{
    public static async Task<WrittenRows> CountAsync(PortalHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync();
        return new(
            await db.Environments.CountAsync(),
            await db.Revisions.CountAsync(),
            await db.Approvals.CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Who != Actor.PortalName));
    }
}
