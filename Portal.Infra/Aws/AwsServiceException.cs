using System.Net;

namespace Portal.Infra.Aws;

/// <summary>
/// An error an AWS service answered with (the Query protocol's <c>ErrorResponse</c>, the JSON protocol's
/// <c>{"__type": …, "message": …}</c>), or a reply the client could not read (<c>MalformedResponse</c>, <c>ReplyTooLarge</c>).
/// </summary>
public class AwsServiceException : Exception
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    };

    public AwsServiceException(
        string service, string action, string errorCode, string errorMessage, string? requestId, HttpStatusCode statusCode,
        string? errorType = null, int attempts = 1)
        : base(Describe(service, action, errorCode, errorMessage, requestId, statusCode, attempts))
    {
        Service = service;
        Action = action;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        StatusCode = statusCode;
        ErrorType = errorType;
        Attempts = attempts;
    }

    /// <summary>The service as messages name it, e.g. <c>CloudFormation</c>, <c>ECS</c>.</summary>
    public string Service { get; }

    /// <summary>The operation that failed, e.g. <c>DescribeStacks</c>, <c>DescribeTasks</c>.</summary>
    public string Action { get; }

    /// <summary>AWS's error code, e.g. <c>ValidationError</c>, <c>Throttling</c>, <c>ClusterNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>AWS's message, as sent.</summary>
    public string ErrorMessage { get; }

    public string? RequestId { get; }
    public HttpStatusCode StatusCode { get; }

    /// <summary>Sender (our request was wrong) or Receiver (AWS failed); Query protocol errors only.</summary>
    public string? ErrorType { get; }

    /// <summary>How many times the call was sent before giving up.</summary>
    public int Attempts { get; }

    public bool IsThrottling => ThrottlingCodes.Contains(ErrorCode) || StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>Worth sending again: throttled, or AWS failed (5xx).</summary>
    public bool IsTransient => IsThrottling || (int)StatusCode >= 500;

    /// <summary>
    /// True for failures that say nothing about the request itself: throttling, AWS errors, an endpoint that
    /// could not be reached or did not answer in time. Callers that poll keep going after these.
    /// </summary>
    public static bool IsTransientFailure(Exception exception) => exception switch
    {
        AwsServiceException aws => aws.IsTransient,
        HttpRequestException or TimeoutException => true,
        _ => false,
    };

    private static string Describe(
        string service, string action, string code, string message, string? requestId, HttpStatusCode status, int attempts)
    {
        var tries = attempts > 1 ? $", after {attempts} attempts" : "";
        var id = requestId is null ? "" : $", request {requestId}";
        return $"{service} {action} failed: {code}: {message} (HTTP {(int)status}{id}{tries})";
    }
}
