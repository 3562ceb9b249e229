using System.Collections.Frozen;

namespace Portal.Jobs.Revisions;

/// <summary>
/// The one table of legal revision moves; <see cref="Revision.TransitionTo"/> refuses everything else.
/// </summary>
public static class RevisionTransitions
{
    private static readonly FrozenDictionary<RevisionStatus, FrozenSet<RevisionStatus>> Allowed =
        new Dictionary<RevisionStatus, RevisionStatus[]>
        {
            [RevisionStatus.Submitted] = [RevisionStatus.Planning, RevisionStatus.Superseded, RevisionStatus.Cancelled],
            [RevisionStatus.Planning] =
                [RevisionStatus.AwaitingApproval, RevisionStatus.PlanFailed, RevisionStatus.Superseded, RevisionStatus.Cancelled],
            [RevisionStatus.PlanFailed] = [RevisionStatus.Superseded, RevisionStatus.Cancelled],
            // Back to Planning when the change set must be made again: approvals given for the old one stop counting.
            [RevisionStatus.AwaitingApproval] =
                [RevisionStatus.Approved, RevisionStatus.Rejected, RevisionStatus.Planning, RevisionStatus.Superseded, RevisionStatus.Cancelled],
            [RevisionStatus.Approved] =
                [RevisionStatus.Deploying, RevisionStatus.Planning, RevisionStatus.Superseded, RevisionStatus.Cancelled],
            // A deploy always ends in CloudFormation's verdict; a cancelled update ends Failed (rolled back).
            [RevisionStatus.Deploying] = [RevisionStatus.Deployed, RevisionStatus.Failed],
            [RevisionStatus.Rejected] = [],
            [RevisionStatus.Deployed] = [],
            [RevisionStatus.Failed] = [],
            [RevisionStatus.Superseded] = [],
            [RevisionStatus.Cancelled] = [],
        }.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenSet());

    /// <summary>Statuses a revision can still leave; at most one such revision exists per environment.</summary>
    public static IReadOnlyList<RevisionStatus> Open { get; } =
        [.. Enum.GetValues<RevisionStatus>().Where(s => Allowed[s].Count > 0)];

    public static bool IsAllowed(RevisionStatus from, RevisionStatus to) => Allowed[from].Contains(to);

    public static IReadOnlySet<RevisionStatus> From(RevisionStatus from) => Allowed[from];

    public static bool IsOpen(RevisionStatus status) => Allowed[status].Count > 0;

    /// <summary>Endings that must say why (shown to the requester).</summary>
    public static bool NeedsReason(RevisionStatus to) => to is RevisionStatus.PlanFailed or RevisionStatus.Rejected
        or RevisionStatus.Failed or RevisionStatus.Superseded or RevisionStatus.Cancelled;
}
