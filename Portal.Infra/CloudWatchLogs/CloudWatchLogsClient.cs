using Amazon.Runtime;
using Portal.Infra.Aws;

namespace Portal.Infra.CloudWatchLogs;

/// <summary><see cref="ICloudWatchLogs"/> over AWS JSON 1.1 (<see cref="JsonProtocol"/>), signed for service <c>logs</c>.</summary>
public sealed class CloudWatchLogsClient : ICloudWatchLogs, IDisposable
{
    public const string ServiceName = "CloudWatch Logs";
    public const string SigningService = "logs";
    public const string TargetPrefix = "Logs_20140328";

    public const int DefaultLimit = 50;

    /// <summary>CloudWatch Logs' own bound (and its replies stay under 1 MB whatever the limit).</summary>
    public const int MaxLimit = 10_000;

    private readonly AwsTransport _transport;
    private readonly JsonProtocol _json;

    private CloudWatchLogsClient(HttpClient http, Uri endpoint, AwsClientOptions? options, TimeProvider? time)
    {
        _transport = new AwsTransport(http, ownsHttp: true, endpoint, ServiceName, options, time);
        _json = new JsonProtocol(_transport, TargetPrefix);
    }

    public Uri Endpoint => _transport.Endpoint;

    /// <summary>A client that signs every call with SigV4 for <paramref name="region"/> (see <see cref="AwsTransport.Signed"/>).</summary>
    public static CloudWatchLogsClient Create(
        Uri endpoint, AWSCredentials credentials, string region,
        AwsClientOptions? options = null, TimeProvider? time = null, HttpMessageHandler? transport = null) =>
        new(AwsTransport.Signed(credentials, region, SigningService, transport), endpoint, options, time);

    public async Task<GetLogEventsResponse> GetLogEventsAsync(GetLogEventsRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.LogGroupName) == string.IsNullOrWhiteSpace(request.LogGroupIdentifier))
            throw new ArgumentException("GetLogEventsRequest needs LogGroupName or LogGroupIdentifier, one of them.", nameof(request));
        RequestCheck.Required(request.LogStreamName, nameof(GetLogEventsRequest), nameof(request.LogStreamName));
        RequestCheck.Range(request.Limit, 1, MaxLimit, nameof(GetLogEventsRequest), nameof(request.Limit));
        var (reply, requestId) = await _json.SendAsync<GetLogEventsRequest, GetLogEventsResponse>(
            "GetLogEvents", request, retryable: true, cancellationToken);
        return reply with { RequestId = requestId };
    }

    public void Dispose() => _transport.Dispose();
}
