namespace Portal.Jobs.ServiceHealth;

/// <summary>
/// A failed deploy's reason when ECS, the load balancer or the logs told its real cause: the cause first, CloudFormation's
/// sentence after it ("backend: image …/backend:1.9 not found (CannotPullContainerError). CloudFormation: ROLLBACK_COMPLETE: …").
/// </summary>
public static class DiagnosedReason
{
    private const string Lead = ". CloudFormation: ";

    public static string Compose(string? cause, string cloudFormationReason) =>
        cause is null ? cloudFormationReason : cause + Lead + cloudFormationReason;

    /// <summary>CloudFormation's part of <paramref name="reason"/> (all of it when it does not start with <paramref name="cause"/>).</summary>
    public static string CloudFormationPart(string reason, string? cause) =>
        cause is not null && reason.StartsWith(cause + Lead, StringComparison.Ordinal) ? reason[(cause.Length + Lead.Length)..] : reason;
}
