using System.Collections.ObjectModel;
using Portal.Jobs.Deployments;
using Portal.Jobs.StackEvents;

namespace Portal.Web.Components.Deployments;

/// <summary>
/// A resource of the deployment: what the plan said would happen to it, its latest stack event, and the first failure
/// it had in this deployment (kept after a rollback brought it back to a *_COMPLETE status).
/// </summary>
public sealed record ResourceState(
    string LogicalId, string Type, string Group, string? PlannedAction, string? Status, string? Reason, string? FailedWith = null,
    DateTimeOffset? At = null)
{
    /// <summary>CloudFormation is done with it (any status but *_IN_PROGRESS); a resource without events is not.</summary>
    public bool Settled => Status is not null && !Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    /// <summary>Worth a look: not settled yet, or it failed at some point.</summary>
    public bool NeedsAttention => !Settled || FailedWith is not null;
}

/// <summary>
/// What the live deploy view shows for one revision, built from its stored stack events (so it is the same whichever
/// process runs the job): the events newest first, each resource's latest status, and "settled / total" where the
/// total is every resource the plan touches plus any other the events name.
/// </summary>
public sealed class LiveDeployment(string stackName, RevisionPlan? plan)
{
    private readonly List<StackEventView> _newestFirst = [];
    private ReadOnlyCollection<StackEventView>? _events;
    private readonly Dictionary<string, ResourceState> _resources = (plan?.Changes ?? [])
        .DistinctBy(c => c.LogicalResourceId)
        .ToDictionary(c => c.LogicalResourceId, c => new ResourceState(
            c.LogicalResourceId, c.ResourceType, ResourceGroups.Of(c.LogicalResourceId), c.Action, null, null));

    /// <summary>The cursor for the next read: the id of the newest event added (0 before any).</summary>
    public long LastId { get; private set; }

    /// <summary>Every event added, newest first (a live view: it grows as events are added).</summary>
    public ReadOnlyCollection<StackEventView> Events => _events ??= _newestFirst.AsReadOnly();

    /// <summary>The stack's own latest status (from its events), e.g. UPDATE_ROLLBACK_IN_PROGRESS; null before the first.</summary>
    public string? StackStatus { get; private set; }

    private DateTimeOffset? _stackAt;

    public int Total => _resources.Count;

    public int Settled => _resources.Values.Count(r => r.Settled);

    /// <summary>Resources by <see cref="ResourceGroups"/>, groups in the order a request travels, resources by logical id.</summary>
    public IEnumerable<IGrouping<string, ResourceState>> Groups => _resources.Values
        .OrderBy(r => r.LogicalId, StringComparer.Ordinal)
        .GroupBy(r => r.Group)
        .OrderBy(g => ResourceGroups.Rank(g.Key));

    public ResourceState? Resource(string logicalId) => _resources.GetValueOrDefault(logicalId);

    /// <summary>
    /// Adds events read after <see cref="LastId"/>; ones already added (overlapping reads) are skipped. They are stored in
    /// the order they arrived, which for pushed events may differ a little from CloudFormation's: the list and each
    /// resource's status follow CloudFormation's time (within one second, an *_IN_PROGRESS status never follows a
    /// settled one it arrived after).
    /// </summary>
    /// <returns>Whether anything was new.</returns>
    public bool Add(IEnumerable<StackEventView> events)
    {
        var added = false;
        foreach (var e in events.Where(e => e.Id > LastId))
        {
            var position = 0;
            while (position < _newestFirst.Count && _newestFirst[position].Timestamp > e.Timestamp) position++;
            _newestFirst.Insert(position, e);
            LastId = e.Id;
            added = true;
            if (e.ResourceType == "AWS::CloudFormation::Stack" && e.LogicalResourceId == stackName)
            {
                if (Follows(e, _stackAt, StackStatus))
                    (StackStatus, _stackAt) = (e.ResourceStatus, e.Timestamp);
                continue;
            }
            var known = _resources.GetValueOrDefault(e.LogicalResourceId)
                        ?? new ResourceState(e.LogicalResourceId, e.ResourceType, ResourceGroups.Of(e.LogicalResourceId), null, null, null);
            var failed = StatusTones.Of(e.ResourceStatus) == StatusTone.Failed ? e.ResourceStatus : null;
            _resources[e.LogicalResourceId] = Follows(e, known.At, known.Status)
                ? known with { Status = e.ResourceStatus, Reason = e.ResourceStatusReason, FailedWith = known.FailedWith ?? failed, At = e.Timestamp }
                : known with { FailedWith = known.FailedWith ?? failed };
        }
        return added;
    }

    /// <summary>Whether <paramref name="e"/> is newer than the status <paramref name="current"/> seen at <paramref name="at"/>.</summary>
    private static bool Follows(StackEventView e, DateTimeOffset? at, string? current) =>
        at is not { } seen || e.Timestamp > seen
        || (e.Timestamp == seen && !(IsInProgress(e.ResourceStatus) && current is not null && !IsInProgress(current)));

    private static bool IsInProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}
