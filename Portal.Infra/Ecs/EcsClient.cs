using Amazon.Runtime;
using Portal.Infra.Aws;

namespace Portal.Infra.Ecs;

/// <summary><see cref="IEcs"/> over AWS JSON 1.1 (<see cref="JsonProtocol"/>), signed for service <c>ecs</c>.</summary>
public sealed class EcsClient : IEcs, IDisposable
{
    public const string ServiceName = "ECS";
    public const string SigningService = "ecs";
    public const string TargetPrefix = "AmazonEC2ContainerServiceV20141113";

    /// <summary>ECS's own limits per call.</summary>
    public const int MaxServicesPerCall = 10, MaxTasksPerCall = 100;

    /// <summary>ListTasks' bound: ECS's largest page (100) times the pages followed.</summary>
    public const int MaxTasksListed = 1000, MaxListPages = 10;

    private const int PageSize = 100;

    private readonly AwsTransport _transport;
    private readonly JsonProtocol _json;

    private EcsClient(HttpClient http, Uri endpoint, AwsClientOptions? options, TimeProvider? time)
    {
        _transport = new AwsTransport(http, ownsHttp: true, endpoint, ServiceName, options, time);
        _json = new JsonProtocol(_transport, TargetPrefix);
    }

    public Uri Endpoint => _transport.Endpoint;

    /// <summary>A client that signs every call with SigV4 for <paramref name="region"/> (see <see cref="AwsTransport.Signed"/>).</summary>
    public static EcsClient Create(
        Uri endpoint, AWSCredentials credentials, string region,
        AwsClientOptions? options = null, TimeProvider? time = null, HttpMessageHandler? transport = null) =>
        new(AwsTransport.Signed(credentials, region, SigningService, transport), endpoint, options, time);

    public async Task<DescribeServicesResponse> DescribeServicesAsync(DescribeServicesRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Names(request.Services, MaxServicesPerCall, nameof(DescribeServicesRequest), nameof(request.Services));
        var (reply, requestId) = await _json.SendAsync<DescribeServicesRequest, DescribeServicesResponse>(
            "DescribeServices", request, retryable: true, cancellationToken);
        return reply with { RequestId = requestId };
    }

    public async Task<ListTasksResponse> ListTasksAsync(ListTasksRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Range(request.Limit, 1, MaxTasksListed, nameof(ListTasksRequest), nameof(request.Limit));
        var taskArns = new List<string>();
        string? firstRequestId = null;
        var nextToken = request.NextToken;
        for (var page = 0; page < MaxListPages && taskArns.Count < request.Limit; page++)
        {
            var wanted = request.Limit - taskArns.Count;
            var (reply, requestId) = await _json.SendAsync<ListTasksRequest, ListTasksResponse>(
                "ListTasks", request with { NextToken = nextToken, MaxResults = Math.Min(PageSize, wanted) }, retryable: true, cancellationToken);
            firstRequestId ??= requestId;
            taskArns.AddRange(reply.TaskArns.Take(wanted));
            nextToken = string.IsNullOrEmpty(reply.NextToken) ? null : reply.NextToken;
            if (nextToken is null)
                break;
        }
        return new ListTasksResponse { TaskArns = taskArns, NextToken = nextToken, RequestId = firstRequestId };
    }

    public async Task<DescribeTasksResponse> DescribeTasksAsync(DescribeTasksRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Names(request.Tasks, MaxTasksPerCall, nameof(DescribeTasksRequest), nameof(request.Tasks));
        var (reply, requestId) = await _json.SendAsync<DescribeTasksRequest, DescribeTasksResponse>(
            "DescribeTasks", request, retryable: true, cancellationToken);
        return reply with { RequestId = requestId };
    }

    public void Dispose() => _transport.Dispose();
}
