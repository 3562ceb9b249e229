using Portal.Infra.Aws;

namespace Portal.Infra.CloudWatchLogs;

/// <summary>
/// The read-only CloudWatch Logs operation diagnosis uses, shaped like AWSSDK.CloudWatchLogs' <c>IAmazonCloudWatchLogs</c>.
/// Retried as <see cref="AwsClientOptions"/> says; service errors surface as <see cref="AwsServiceException"/>
/// (<c>ResourceNotFoundException</c>, …), an unreachable endpoint as <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
/// </summary>
public interface ICloudWatchLogs
{
    /// <summary>One page of a log stream's events: by default the newest <see cref="CloudWatchLogsClient.DefaultLimit"/>.</summary>
    Task<GetLogEventsResponse> GetLogEventsAsync(GetLogEventsRequest request, CancellationToken cancellationToken = default);
}
