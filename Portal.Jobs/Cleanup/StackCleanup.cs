using Portal.Jobs.Revisions;

namespace Portal.Jobs.Cleanup;

/// <summary>
/// What a plan left in CloudFormation that nothing will use any more: the change set of a revision that ended without
/// executing it (rejected, withdrawn, superseded, failed, planned again, deployed with no changes), and for a create
/// that never deployed, the stack CloudFormation made for its change set in REVIEW_IN_PROGRESS. The domain writes it in
/// the same transaction as the revision's end (an outbox), so a crash cannot lose it; <see cref="StackCleanupJob"/>
/// deletes what is still there, and the sweep tries again until it is done.
/// </summary>
public sealed class StackCleanup
{
    private StackCleanup()
    {
    }

    internal StackCleanup(Revision revision, bool deleteReviewStack, string? changeSetId, DateTimeOffset at)
    {
        EnvironmentId = revision.EnvironmentId;
        RevisionId = revision.Id;
        RevisionNumber = revision.Number;
        Target = revision.Environment.Target;
        StackName = revision.Environment.StackName;
        ChangeSetName = revision.ChangeSetName!;
        ChangeSetId = changeSetId;
        DeleteReviewStack = deleteReviewStack;
        RequestedAt = at;
    }

    public long Id { get; private set; }

    public int EnvironmentId { get; private set; }

    public int RevisionId { get; private set; }

    public int RevisionNumber { get; private set; }

    public string Target { get; private set; } = "";

    public string StackName { get; private set; } = "";

    /// <summary>Unique to one plan of one revision; finds the change set when the plan ended before it learned its id.</summary>
    public string ChangeSetName { get; private set; } = "";

    /// <summary>The change set's ARN when the plan recorded it. Deletion is always by ARN, never by name.</summary>
    public string? ChangeSetId { get; private set; }

    /// <summary>The revision was a create that ended: its stack goes too, if it is still only under review.</summary>
    public bool DeleteReviewStack { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>
    /// The REVIEW_IN_PROGRESS stack this cleanup decided to delete, by id. Set in the write transaction that found no newer
    /// create of the environment; a later create's plan finishes such a deletion before it makes its change set, so the
    /// two never act on the same stack.
    /// </summary>
    public string? DeletingStackId { get; private set; }

    /// <summary>When the sweep may (next) take it: after a lease while a job runs it, or after a failure's backoff.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Failed runs so far.</summary>
    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DoneAt { get; private set; }

    /// <summary>What the cleanup found and did, e.g. "deleted change set portal-r2-7-v3; deleted stack portal-x (REVIEW_IN_PROGRESS)".</summary>
    public string? Outcome { get; private set; }

    internal void Lease(DateTimeOffset until) => DueAt = until;

    internal void DecideToDelete(string stackId) => DeletingStackId = stackId;

    internal void Fail(string error, DateTimeOffset retryAt)
    {
        Attempts++;
        LastError = error;
        DueAt = retryAt;
    }

    internal void Finish(string outcome, DateTimeOffset at)
    {
        Outcome = outcome;
        DoneAt = at;
    }
}
