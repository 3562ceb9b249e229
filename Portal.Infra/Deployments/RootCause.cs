using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

/// <summary>Why a stack operation failed: the resource that failed first and what CloudFormation said.</summary>
public sealed record RootCause
{
    public required string LogicalResourceId { get; init; }
    public string? ResourceType { get; init; }
    /// <summary>E.g. CREATE_FAILED; null when only the stack's own reason was available.</summary>
    public string? ResourceStatus { get; init; }
    public required string Reason { get; init; }
    public DateTime? Timestamp { get; init; }

    public override string ToString() =>
        ResourceType is null ? $"{LogicalResourceId}: {Reason}" : $"{LogicalResourceId} ({ResourceType}): {Reason}";

    /// <summary>
    /// The chronologically first resource event that failed with a reason. Not the stack's summary line
    /// ("The following resource(s) failed to create: …") and not the "Resource creation cancelled" failures
    /// that CloudFormation records for resources it stopped because another one failed. Falls back to the
    /// first failure of any kind, then to <paramref name="stackStatusReason"/>.
    /// </summary>
    /// <param name="events">The operation's events; ordered here by time, ties kept in the given order.</param>
    public static RootCause? Find(IEnumerable<StackEvent> events, string stackName, string? stackStatusReason)
    {
        var failures = events
            .Where(e => e.ResourceStatus?.EndsWith("_FAILED", StringComparison.Ordinal) == true
                        && !string.IsNullOrWhiteSpace(e.ResourceStatusReason))
            .OrderBy(e => e.Timestamp)
            .ToList();
        var first = failures.FirstOrDefault(e => !e.IsStackEvent && !IsFollowOn(e.ResourceStatusReason!))
                    ?? failures.FirstOrDefault();
        if (first is not null)
        {
            return new RootCause
            {
                LogicalResourceId = first.LogicalResourceId ?? first.StackName,
                ResourceType = first.ResourceType,
                ResourceStatus = first.ResourceStatus,
                Reason = first.ResourceStatusReason!,
                Timestamp = first.Timestamp,
            };
        }
        return string.IsNullOrWhiteSpace(stackStatusReason)
            ? null
            : new RootCause { LogicalResourceId = stackName, Reason = stackStatusReason };
    }

    private static bool IsFollowOn(string reason) =>
        reason.StartsWith("Resource creation cancelled", StringComparison.OrdinalIgnoreCase) ||
        reason.StartsWith("Resource update cancelled", StringComparison.OrdinalIgnoreCase) ||
        reason.StartsWith("The following resource(s) failed", StringComparison.OrdinalIgnoreCase);
}
