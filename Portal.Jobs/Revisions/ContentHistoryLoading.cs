using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

internal static class ContentHistoryLoading
{
    /// <summary>The <see cref="ContentHistory"/> a new Create or Update revision of <paramref name="environment"/> is compared with.</summary>
    public static async Task<ContentHistory> ContentHistoryAsync(
        this PortalDb db, ManagedEnvironment environment, CancellationToken cancellationToken)
    {
        var deployed = environment.DeployedRevisionNumber;
        var revisions = await db.Revisions.AsNoTracking()
            .Where(r => r.EnvironmentId == environment.Id && r.Kind != RevisionKind.Destroy && (deployed == null || r.Number >= deployed))
            .OrderBy(r => r.Number)
            .Select(r => new { r.Number, r.Status, r.SpecJson, RequestedBy = new Person(r.RequestedBy.Id, r.RequestedBy.Name), r.EditedBy })
            .ToListAsync(cancellationToken);
        return new ContentHistory(
            revisions.FirstOrDefault(r => r.Number == deployed)?.SpecJson,
            [.. revisions.Where(r => r.Status != RevisionStatus.Deployed).Select(r => new AuthoredSpec(r.SpecJson, r.RequestedBy, r.EditedBy))]);
    }
}
