using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Portal.Infra.Aws;
using Portal.Infra.Budgets;
using static Portal.Infra.Aws.QueryXml;
using static Portal.Infra.CloudFormation.CloudFormationXml;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// <see cref="ICloudFormation"/> over the AWS Query protocol (<see cref="QueryProtocol"/>): a form POST per call, an XML
/// reply, errors as <see cref="CloudFormationException"/>. Retries as the AWS SDKs do (see <see cref="AwsClientOptions"/>)
/// on throttling, 5xx, timeouts and connection failures; a call that changes state is retried only when it
/// carries its idempotency token, since otherwise a retry could apply it twice.
/// </summary>
public sealed class CloudFormationClient : ICloudFormation, IDisposable
{
    public const string ApiVersion = "2010-05-15";
    public const string SigningService = "cloudformation";

    private readonly AwsTransport _transport;
    private readonly QueryProtocol _query;

    /// <summary>
    /// Sends through <paramref name="http"/> as it is: it must already sign (see <see cref="Create"/>), and its
    /// handlers must not retry, because every retry has to be signed afresh.
    /// </summary>
    public CloudFormationClient(HttpClient http, Uri endpoint, CloudFormationClientOptions? options = null, TimeProvider? time = null)
        : this(http, ownsHttp: false, endpoint, options, time)
    {
    }

    private CloudFormationClient(HttpClient http, bool ownsHttp, Uri endpoint, AwsClientOptions? options, TimeProvider? time, TargetCallBudget? budget = null)
    {
        _transport = new AwsTransport(http, ownsHttp, endpoint, CloudFormationException.ServiceName, options, time,
            (action, code, message, requestId, status, type, attempts) => new CloudFormationException(action, code, message, requestId, status, type, attempts),
            budget is null ? null : (action, cancellationToken) => budget.WaitTurnAsync(CallPriorities.Of(action), cancellationToken));
        _query = new QueryProtocol(_transport, ApiVersion);
    }

    public Uri Endpoint => _transport.Endpoint;

    /// <summary>
    /// A client that signs every call with SigV4 for <paramref name="region"/> through AWSSDK.Core's
    /// <see cref="SigV4SigningHandler"/>; <paramref name="credentials"/> are resolved on every send, so
    /// refreshing credentials (an assumed role) stay fresh. With <paramref name="budget"/>, every attempt waits its turn there.
    /// </summary>
    public static CloudFormationClient Create(
        Uri endpoint, AWSCredentials credentials, string region,
        AwsClientOptions? options = null, TimeProvider? time = null, HttpMessageHandler? transport = null, TargetCallBudget? budget = null) =>
        new(AwsTransport.Signed(credentials, region, SigningService, transport), ownsHttp: true, endpoint, options, time, budget);

    /// <summary><c>https://cloudformation.&lt;region&gt;.amazonaws.com/</c>, or the partition's suffix (<c>.com.cn</c> in China).</summary>
    public static Uri RegionalEndpoint(string region) => AwsEndpoints.Regional(SigningService, region);

    public async Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(CreateChangeSetRequest), nameof(request.StackName));
        RequestCheck.Required(request.ChangeSetName, nameof(CreateChangeSetRequest), nameof(request.ChangeSetName));
        RequestCheck.Required(request.TemplateBody, nameof(CreateChangeSetRequest), nameof(request.TemplateBody));
        var form = new QueryForm("CreateChangeSet")
            .Add("StackName", request.StackName)
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("ChangeSetType", request.ChangeSetType switch
            {
                ChangeSetType.Create => "CREATE",
                ChangeSetType.Update => "UPDATE",
                var other => throw new ArgumentException($"CreateChangeSetRequest.ChangeSetType '{other}' is not CREATE or UPDATE.", nameof(request)),
            })
            .Add("TemplateBody", request.TemplateBody)
            .AddList("Capabilities", request.Capabilities)
            .Add("RoleARN", request.RoleARN)
            .AddMembers("Tags", request.Tags, tag => [("Key", tag.Key), ("Value", tag.Value)])
            .Add("ClientToken", request.ClientToken)
            .Add("Description", request.Description);
        return await _query.SendAsync(form, retryable: request.ClientToken is not null, reply => new CreateChangeSetResponse
        {
            Id = Required(reply.Result, "Id"),
            StackId = Text(reply.Result, "StackId"),
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public async Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.ChangeSetName, nameof(DescribeChangeSetRequest), nameof(request.ChangeSetName));
        var changes = new List<Change>();
        QueryReply? first = null;
        string? nextToken = null;
        do
        {
            var form = new QueryForm("DescribeChangeSet")
                .Add("ChangeSetName", request.ChangeSetName)
                .Add("StackName", request.StackName)
                .Add("NextToken", nextToken);
            var (reply, page) = await _query.SendAsync(form, retryable: true,
                reply => (reply, Members(reply.Result, "Changes").Select(m => Change(m)).ToList()), cancellationToken);
            first ??= reply;
            changes.AddRange(page);
            var token = Text(reply.Result, "NextToken");
            if (token is not null && token == nextToken)
                throw _transport.Malformed(form.Action, "the same NextToken came back twice", reply.RequestId);
            nextToken = string.IsNullOrEmpty(token) ? null : token;
        }
        while (nextToken is not null);

        var result = first.Result;
        return new DescribeChangeSetResponse
        {
            ChangeSetId = Text(result, "ChangeSetId"),
            ChangeSetName = Text(result, "ChangeSetName"),
            StackId = Text(result, "StackId"),
            StackName = Text(result, "StackName"),
            Description = Text(result, "Description"),
            Status = Text(result, "Status"),
            StatusReason = Text(result, "StatusReason"),
            ExecutionStatus = Text(result, "ExecutionStatus"),
            CreationTime = Time(result, "CreationTime"),
            Capabilities = Strings(result, "Capabilities"),
            Tags = Tags(result),
            Changes = changes,
            RequestId = first.RequestId,
        };
    }

    public async Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.ChangeSetName, nameof(ExecuteChangeSetRequest), nameof(request.ChangeSetName));
        var form = new QueryForm("ExecuteChangeSet")
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("StackName", request.StackName)
            .Add("ClientRequestToken", request.ClientRequestToken);
        return await _query.SendAsync(form, retryable: request.ClientRequestToken is not null, reply => new ExecuteChangeSetResponse { RequestId = reply.RequestId }, cancellationToken);
    }

    public async Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.ChangeSetName, nameof(DeleteChangeSetRequest), nameof(request.ChangeSetName));
        var form = new QueryForm("DeleteChangeSet")
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("StackName", request.StackName);
        // DeleteChangeSet has no idempotency token in the API, so it is never sent twice.
        return await _query.SendAsync(form, retryable: false, reply => new DeleteChangeSetResponse { RequestId = reply.RequestId }, cancellationToken);
    }

    public async Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(DescribeStacksRequest), nameof(request.StackName));
        var form = new QueryForm("DescribeStacks").Add("StackName", request.StackName);
        return await _query.SendAsync(form, retryable: true, reply => new DescribeStacksResponse
        {
            Stacks = Members(reply.Result, "Stacks").Select(m => Stack(m)).ToList(),
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public async Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(DescribeStackEventsRequest), nameof(request.StackName));
        var form = new QueryForm("DescribeStackEvents")
            .Add("StackName", request.StackName)
            .Add("NextToken", request.NextToken);
        return await _query.SendAsync(form, retryable: true, reply => new DescribeStackEventsResponse
        {
            StackEvents = Members(reply.Result, "StackEvents").Select(m => StackEvent(m)).ToList(),
            NextToken = Text(reply.Result, "NextToken") is { Length: > 0 } token ? token : null,
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public async Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(DeleteStackRequest), nameof(request.StackName));
        var form = new QueryForm("DeleteStack")
            .Add("StackName", request.StackName)
            .Add("RoleARN", request.RoleARN)
            .Add("ClientRequestToken", request.ClientRequestToken);
        return await _query.SendAsync(form, retryable: request.ClientRequestToken is not null, reply => new DeleteStackResponse { RequestId = reply.RequestId }, cancellationToken);
    }

    public async Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(CancelUpdateStackRequest), nameof(request.StackName));
        var form = new QueryForm("CancelUpdateStack")
            .Add("StackName", request.StackName)
            .Add("ClientRequestToken", request.ClientRequestToken);
        return await _query.SendAsync(form, retryable: request.ClientRequestToken is not null, reply => new CancelUpdateStackResponse { RequestId = reply.RequestId }, cancellationToken);
    }

    public async Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(DetectStackDriftRequest), nameof(request.StackName));
        var form = new QueryForm("DetectStackDrift")
            .Add("StackName", request.StackName)
            .AddList("LogicalResourceIds", request.LogicalResourceIds);
        // Starts a read-only operation: a retry at worst starts a second detection, and the caller follows the id it got.
        return await _query.SendAsync(form, retryable: true, reply => new DetectStackDriftResponse
        {
            StackDriftDetectionId = Required(reply.Result, "StackDriftDetectionId"),
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public async Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(
        DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackDriftDetectionId, nameof(DescribeStackDriftDetectionStatusRequest), nameof(request.StackDriftDetectionId));
        var form = new QueryForm("DescribeStackDriftDetectionStatus").Add("StackDriftDetectionId", request.StackDriftDetectionId);
        return await _query.SendAsync(form, retryable: true, reply => new DescribeStackDriftDetectionStatusResponse
        {
            StackId = Required(reply.Result, "StackId"),
            StackDriftDetectionId = Required(reply.Result, "StackDriftDetectionId"),
            StackDriftStatus = Text(reply.Result, "StackDriftStatus"),
            DetectionStatus = Required(reply.Result, "DetectionStatus"),
            DetectionStatusReason = Text(reply.Result, "DetectionStatusReason"),
            DriftedStackResourceCount = Int(reply.Result, "DriftedStackResourceCount"),
            Timestamp = Time(reply.Result, "Timestamp") ?? default,
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public async Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(
        DescribeStackResourceDriftsRequest request, CancellationToken cancellationToken = default)
    {
        RequestCheck.Required(request.StackName, nameof(DescribeStackResourceDriftsRequest), nameof(request.StackName));
        if (request.MaxResults is { } maxResults)
            RequestCheck.Range(maxResults, 1, 100, nameof(DescribeStackResourceDriftsRequest), nameof(request.MaxResults));
        var form = new QueryForm("DescribeStackResourceDrifts")
            .Add("StackName", request.StackName)
            .AddList("StackResourceDriftStatusFilters", request.StackResourceDriftStatusFilters)
            .Add("NextToken", request.NextToken)
            .Add("MaxResults", request.MaxResults);
        return await _query.SendAsync(form, retryable: true, reply => new DescribeStackResourceDriftsResponse
        {
            StackResourceDrifts = Members(reply.Result, "StackResourceDrifts").Select(m => StackResourceDrift(m)).ToList(),
            NextToken = Text(reply.Result, "NextToken") is { Length: > 0 } token ? token : null,
            RequestId = reply.RequestId,
        }, cancellationToken);
    }

    public void Dispose() => _transport.Dispose();
}
