using Portal.Jobs.ServiceHealth;

namespace Portal.Web.Components.Deployments;

/// <summary>
/// A failed revision's StatusReason as the deploy job writes it, "&lt;STACK_STATUS&gt;: &lt;root cause&gt;", where the root
/// cause starts with the failing resource's logical id ("FrontendServiceBC94BA93 (AWS::ECS::Service): Resource handler
/// returned message: …"). Any other reason (an error before CloudFormation started) is kept whole as the cause. When ECS,
/// the load balancer or the logs told the real cause (<see cref="DiagnosedReason"/>), it leads the reason and is
/// <see cref="Diagnosed"/>; the rest is CloudFormation's.
/// </summary>
public sealed record FailureReason(string? StackStatus, string Cause, string? LogicalId, string? Diagnosed = null)
{
    public static FailureReason Parse(string? statusReason, string? diagnosedCause = null)
    {
        var reason = DiagnosedReason.CloudFormationPart(statusReason?.Trim() ?? "", diagnosedCause);
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        var status = colon > 0 && reason[..colon].All(c => char.IsAsciiLetterUpper(c) || c == '_') ? reason[..colon] : null;
        var cause = status is null ? reason : reason[(colon + 2)..];
        var end = cause.IndexOfAny([' ', ':']);
        return new FailureReason(status, cause.Length == 0 ? "no reason given" : cause, end > 0 ? cause[..end] : null, diagnosedCause);
    }

    /// <summary>Whether CloudFormation undid the operation (ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, …).</summary>
    public bool RolledBack => StackStatus?.EndsWith("ROLLBACK_COMPLETE", StringComparison.Ordinal) == true;
}
