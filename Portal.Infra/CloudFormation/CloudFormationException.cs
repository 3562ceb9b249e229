using System.Net;

namespace Portal.Infra.CloudFormation;

/// <summary>An error CloudFormation answered with (the Query protocol's <c>ErrorResponse</c>).</summary>
public sealed class CloudFormationException : Exception
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    };

    public CloudFormationException(
        string action, string errorCode, string errorMessage, string? requestId, HttpStatusCode statusCode,
        string? errorType = null, int attempts = 1)
        : base(Describe(action, errorCode, errorMessage, requestId, statusCode, attempts))
    {
        Action = action;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        StatusCode = statusCode;
        ErrorType = errorType;
        Attempts = attempts;
    }

    /// <summary>The operation that failed, e.g. <c>DescribeStacks</c>.</summary>
    public string Action { get; }

    /// <summary>AWS's error code, e.g. <c>ValidationError</c>, <c>Throttling</c>, <c>ChangeSetNotFound</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>AWS's message, as sent.</summary>
    public string ErrorMessage { get; }

    public string? RequestId { get; }
    public HttpStatusCode StatusCode { get; }

    /// <summary>Sender (our request was wrong) or Receiver (AWS failed).</summary>
    public string? ErrorType { get; }

    /// <summary>How many times the call was sent before giving up.</summary>
    public int Attempts { get; }

    public bool IsThrottling => ThrottlingCodes.Contains(ErrorCode) || StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>Worth sending again: throttled, or AWS failed (5xx).</summary>
    public bool IsTransient => IsThrottling || (int)StatusCode >= 500;

    /// <summary>
    /// "Stack with id X does not exist" (DescribeStacks, DeleteStack, …) or "Stack [X] does not exist"
    /// (DescribeStackEvents): the stack was never created, or was deleted and asked for by name.
    /// </summary>
    public bool IsStackMissing =>
        ErrorCode == "ValidationError" &&
        ErrorMessage.StartsWith("Stack ", StringComparison.Ordinal) &&
        ErrorMessage.EndsWith(" does not exist", StringComparison.Ordinal);

    public bool IsChangeSetMissing => ErrorCode == "ChangeSetNotFound" || ErrorCode == "ChangeSetNotFoundException";

    /// <summary>
    /// True for failures that say nothing about the request itself: throttling, AWS errors, an endpoint that
    /// could not be reached or did not answer in time. Callers that poll keep going after these.
    /// </summary>
    public static bool IsTransientFailure(Exception exception) => exception switch
    {
        CloudFormationException cfn => cfn.IsTransient,
        HttpRequestException or TimeoutException => true,
        _ => false,
    };

    private static string Describe(
        string action, string code, string message, string? requestId, HttpStatusCode status, int attempts)
    {
        var tries = attempts > 1 ? $", after {attempts} attempts" : "";
        var id = requestId is null ? "" : $", request {requestId}";
        return $"CloudFormation {action} failed: {code}: {message} (HTTP {(int)status}{id}{tries})";
    }
}
