using Portal.Jobs.Workflow;

namespace Portal.Jobs.Submissions;

/// <summary>The actor reached <see cref="SubmissionOptions.PerUser"/>; they may submit again after <see cref="RetryAfter"/>.</summary>
public sealed class SubmissionLimitException(string message, TimeSpan retryAfter)
    : WorkflowException(WorkflowErrorCode.TooManyRequests, null, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
