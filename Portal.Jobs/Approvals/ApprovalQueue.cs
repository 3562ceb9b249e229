using Microsoft.EntityFrameworkCore;
using Portal.Infra.Environments;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Approvals;

/// <summary>A revision waiting for this approver, with the spec deployed now (null if none) to diff against.</summary>
public sealed record ApprovalRequest(RevisionView Revision, string Target, string Owner, EnvironmentSpec? DeployedSpec);

/// <summary>The approvals page: what the signed-in approver may decide on, oldest first.</summary>
public sealed class ApprovalQueue(IDbContextFactory<PortalDb> databases)
{
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(Actor approver, CancellationToken cancellationToken)
    {
        if (!approver.MayDecide)
        {
            return [];
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var waiting = (await db.Revisions.AsNoTracking()
                .Include(r => r.Environment).Include(r => r.Approvals)
                .Where(r => r.Status == RevisionStatus.AwaitingApproval)
                .OrderBy(r => r.SubmittedAt)
                .ToListAsync(cancellationToken))
            .Where(r => ApprovalPolicy.MayDecide(r, approver))
            .ToList();
        var environmentIds = waiting.Select(r => r.EnvironmentId).ToList();
        var deployedSpecs = await db.Revisions.AsNoTracking()
            .Where(r => environmentIds.Contains(r.EnvironmentId) && r.Number == r.Environment.DeployedRevisionNumber)
            .ToDictionaryAsync(r => r.EnvironmentId, r => r.SpecJson, cancellationToken);
        return [.. waiting.Select(r => new ApprovalRequest(
            RevisionView.From(r), r.Environment.Target, r.Environment.CreatedBy.Name,
            deployedSpecs.TryGetValue(r.EnvironmentId, out var json) ? SpecJson.Parse(json) : null))];
    }
}
