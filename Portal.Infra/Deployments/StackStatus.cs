using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

public enum StackStatusKind
{
    /// <summary>CloudFormation is still working (including cleanup and REVIEW_IN_PROGRESS, a stack awaiting its first change set).</summary>
    InProgress,

    /// <summary>Terminal: the operation did what was asked.</summary>
    Complete,

    /// <summary>Terminal: the operation failed and was not (or could not be) rolled back.</summary>
    Failed,

    /// <summary>Terminal: the operation failed and CloudFormation undid it.</summary>
    RolledBack,
}

/// <summary>Every CloudFormation stack status and what it means for a deployment.</summary>
public static class StackStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateFailed = "CREATE_FAILED";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string RollbackInProgress = "ROLLBACK_IN_PROGRESS";
    public const string RollbackFailed = "ROLLBACK_FAILED";
    public const string RollbackComplete = "ROLLBACK_COMPLETE";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string UpdateFailed = "UPDATE_FAILED";
    public const string UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS";
    public const string UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED";
    public const string UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE";
    public const string ReviewInProgress = "REVIEW_IN_PROGRESS";
    public const string ImportInProgress = "IMPORT_IN_PROGRESS";
    public const string ImportComplete = "IMPORT_COMPLETE";
    public const string ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS";
    public const string ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED";
    public const string ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE";

    private static readonly Dictionary<string, StackStatusKind> Kinds = new(StringComparer.Ordinal)
    {
        [CreateInProgress] = StackStatusKind.InProgress,
        [CreateFailed] = StackStatusKind.Failed,
        [CreateComplete] = StackStatusKind.Complete,
        [RollbackInProgress] = StackStatusKind.InProgress,
        [RollbackFailed] = StackStatusKind.Failed,
        [RollbackComplete] = StackStatusKind.RolledBack,
        [DeleteInProgress] = StackStatusKind.InProgress,
        [DeleteFailed] = StackStatusKind.Failed,
        [DeleteComplete] = StackStatusKind.Complete,
        [UpdateInProgress] = StackStatusKind.InProgress,
        [UpdateCompleteCleanupInProgress] = StackStatusKind.InProgress,
        [UpdateComplete] = StackStatusKind.Complete,
        [UpdateFailed] = StackStatusKind.Failed,
        [UpdateRollbackInProgress] = StackStatusKind.InProgress,
        [UpdateRollbackFailed] = StackStatusKind.Failed,
        [UpdateRollbackCompleteCleanupInProgress] = StackStatusKind.InProgress,
        [UpdateRollbackComplete] = StackStatusKind.RolledBack,
        [ReviewInProgress] = StackStatusKind.InProgress,
        [ImportInProgress] = StackStatusKind.InProgress,
        [ImportComplete] = StackStatusKind.Complete,
        [ImportRollbackInProgress] = StackStatusKind.InProgress,
        [ImportRollbackFailed] = StackStatusKind.Failed,
        [ImportRollbackComplete] = StackStatusKind.RolledBack,
    };

    /// <summary>Every stack status CloudFormation documents.</summary>
    public static IReadOnlyCollection<string> All => Kinds.Keys;

    /// <summary>
    /// What <paramref name="status"/> means. A status AWS adds later is judged by its suffix, the naming
    /// scheme every status follows.
    /// </summary>
    public static StackStatusKind Kind(string status) =>
        Kinds.TryGetValue(status, out var kind) ? kind
        : status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) ? StackStatusKind.InProgress
        : status.EndsWith("_FAILED", StringComparison.Ordinal) ? StackStatusKind.Failed
        : status.EndsWith("ROLLBACK_COMPLETE", StringComparison.Ordinal) ? StackStatusKind.RolledBack
        : status.EndsWith("_COMPLETE", StringComparison.Ordinal) ? StackStatusKind.Complete
        : throw new ArgumentException($"'{status}' is not a CloudFormation stack status.", nameof(status));

    /// <summary>CloudFormation has stopped working on the stack: nothing changes until the next operation.</summary>
    public static bool IsTerminal(string status) => Kind(status) != StackStatusKind.InProgress;

    /// <summary>The operation succeeded (CREATE/UPDATE/DELETE/IMPORT_COMPLETE).</summary>
    public static bool IsSuccess(string status) => Kind(status) == StackStatusKind.Complete;

    /// <summary>
    /// The stack never got created (its first create failed): CloudFormation refuses to update it, so it has to
    /// be deleted before the environment can be created again.
    /// </summary>
    public static bool MustBeDeletedBeforeRetry(string status) =>
        status is RollbackComplete or RollbackFailed or CreateFailed;

    /// <summary>
    /// CREATE when there is no usable stack yet (none, deleted, or still awaiting its first change set), else UPDATE.
    /// </summary>
    public static ChangeSetType ChangeSetTypeFor(string? currentStatus) =>
        currentStatus is null or ReviewInProgress or DeleteComplete ? ChangeSetType.Create : ChangeSetType.Update;

    /// <summary>A resource's status (CREATE_COMPLETE, DELETE_SKIPPED, UPDATE_FAILED, …) means it is no longer changing.</summary>
    public static bool IsSettledResourceStatus(string? resourceStatus) =>
        resourceStatus is not null && !resourceStatus.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}
