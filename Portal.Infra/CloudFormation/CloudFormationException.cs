using System.Net;
using Portal.Infra.Aws;

namespace Portal.Infra.CloudFormation;

/// <summary>An error CloudFormation answered with (the Query protocol's <c>ErrorResponse</c>).</summary>
public sealed class CloudFormationException : AwsServiceException
{
    public const string ServiceName = "CloudFormation";

    public CloudFormationException(
        string action, string errorCode, string errorMessage, string? requestId, HttpStatusCode statusCode,
        string? errorType = null, int attempts = 1)
        : base(ServiceName, action, errorCode, errorMessage, requestId, statusCode, errorType, attempts)
    {
    }

    /// <summary>
    /// "Stack with id X does not exist" (DescribeStacks, DeleteStack, …) or "Stack [X] does not exist"
    /// (DescribeStackEvents): the stack was never created, or was deleted and asked for by name.
    /// </summary>
    public bool IsStackMissing =>
        ErrorCode == "ValidationError" &&
        ErrorMessage.StartsWith("Stack ", StringComparison.Ordinal) &&
        ErrorMessage.EndsWith(" does not exist", StringComparison.Ordinal);

    public bool IsChangeSetMissing => ErrorCode == "ChangeSetNotFound" || ErrorCode == "ChangeSetNotFoundException";
}
