using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Drift;

public sealed class DriftQueries(IDbContextFactory<PortalDb> databases)
{
    /// <summary>The environment's newest drift check, or null when none ran yet.</summary>
    public async Task<DriftCheckView?> LatestAsync(string environmentName, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environmentId = await db.Environments.Where(e => e.Name == environmentName).Select(e => (int?)e.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
        var check = await db.DriftChecks.AsNoTracking().Where(c => c.EnvironmentId == environmentId)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        return check is null ? null : DriftCheckView.From(check, environmentName);
    }
}
