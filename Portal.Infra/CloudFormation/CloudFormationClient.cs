using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using static Portal.Infra.CloudFormation.QueryXml;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// <see cref="ICloudFormation"/> over the AWS Query protocol: a form POST per call, an XML reply, errors as
/// <see cref="CloudFormationException"/>. Retries as the AWS SDKs do (see <see cref="CloudFormationClientOptions"/>)
/// on throttling, 5xx, timeouts and connection failures; a call that changes state is retried only when it
/// carries its idempotency token, since otherwise a retry could apply it twice.
/// </summary>
public sealed class CloudFormationClient : ICloudFormation, IDisposable
{
    public const string ApiVersion = "2010-05-15";
    public const string SigningService = "cloudformation";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly CloudFormationClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>
    /// Sends through <paramref name="http"/> as it is: it must already sign (see <see cref="Create"/>), and its
    /// handlers must not retry, because every retry has to be signed afresh.
    /// </summary>
    public CloudFormationClient(HttpClient http, Uri endpoint, CloudFormationClientOptions? options = null, TimeProvider? time = null)
        : this(http, ownsHttp: false, endpoint, options, time)
    {
    }

    private CloudFormationClient(HttpClient http, bool ownsHttp, Uri endpoint, CloudFormationClientOptions? options, TimeProvider? time)
    {
        if (!endpoint.IsAbsoluteUri)
            throw new ArgumentException($"The CloudFormation endpoint must be an absolute URL (got '{endpoint}').", nameof(endpoint));
        _options = options ?? new CloudFormationClientOptions();
        _options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _time = time ?? TimeProvider.System;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>
    /// A client that signs every call with SigV4 for <paramref name="region"/> through AWSSDK.Core's
    /// <see cref="SigV4SigningHandler"/>; <paramref name="credentials"/> are resolved on every send, so
    /// refreshing credentials (an assumed role) stay fresh.
    /// </summary>
    public static CloudFormationClient Create(
        Uri endpoint, AWSCredentials credentials, string region,
        CloudFormationClientOptions? options = null, TimeProvider? time = null, HttpMessageHandler? transport = null)
    {
        // Redirects must not be followed below the signer: a redirected hop would carry a stale signature.
        transport ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), SigningService, transport);
        // Timeouts are per attempt (CloudFormationClientOptions.AttemptTimeout), not per HttpClient call.
        var http = new HttpClient(signer) { Timeout = Timeout.InfiniteTimeSpan };
        return new CloudFormationClient(http, ownsHttp: true, endpoint, options, time);
    }

    /// <summary><c>https://cloudformation.&lt;region&gt;.amazonaws.com/</c>, or the partition's suffix (<c>.com.cn</c> in China).</summary>
    public static Uri RegionalEndpoint(string region) =>
        new($"https://cloudformation.{region}.{RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix}/");

    public async Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(CreateChangeSetRequest), nameof(request.StackName));
        Require(request.ChangeSetName, nameof(CreateChangeSetRequest), nameof(request.ChangeSetName));
        Require(request.TemplateBody, nameof(CreateChangeSetRequest), nameof(request.TemplateBody));
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
            .AddTags(request.Tags)
            .Add("ClientToken", request.ClientToken)
            .Add("Description", request.Description);
        var reply = await SendAsync(form, retryable: request.ClientToken is not null, cancellationToken);
        return new CreateChangeSetResponse
        {
            Id = Required(reply.Result, "Id", form.Action),
            StackId = Text(reply.Result, "StackId"),
            RequestId = reply.RequestId,
        };
    }

    public async Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.ChangeSetName, nameof(DescribeChangeSetRequest), nameof(request.ChangeSetName));
        var changes = new List<Change>();
        Reply? first = null;
        string? nextToken = null;
        do
        {
            var form = new QueryForm("DescribeChangeSet")
                .Add("ChangeSetName", request.ChangeSetName)
                .Add("StackName", request.StackName)
                .Add("NextToken", nextToken);
            var reply = await SendAsync(form, retryable: true, cancellationToken);
            first ??= reply;
            changes.AddRange(Members(reply.Result, "Changes").Select(m => Change(m, form.Action)));
            var token = Text(reply.Result, "NextToken");
            if (token is not null && token == nextToken)
                throw Malformed(form.Action, "the same NextToken came back twice");
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
        Require(request.ChangeSetName, nameof(ExecuteChangeSetRequest), nameof(request.ChangeSetName));
        var form = new QueryForm("ExecuteChangeSet")
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("StackName", request.StackName)
            .Add("ClientRequestToken", request.ClientRequestToken);
        var reply = await SendAsync(form, retryable: request.ClientRequestToken is not null, cancellationToken);
        return new ExecuteChangeSetResponse { RequestId = reply.RequestId };
    }

    public async Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.ChangeSetName, nameof(DeleteChangeSetRequest), nameof(request.ChangeSetName));
        var form = new QueryForm("DeleteChangeSet")
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("StackName", request.StackName);
        // DeleteChangeSet has no idempotency token in the API, so it is never sent twice.
        var reply = await SendAsync(form, retryable: false, cancellationToken);
        return new DeleteChangeSetResponse { RequestId = reply.RequestId };
    }

    public async Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(DescribeStacksRequest), nameof(request.StackName));
        var form = new QueryForm("DescribeStacks").Add("StackName", request.StackName);
        var reply = await SendAsync(form, retryable: true, cancellationToken);
        return new DescribeStacksResponse
        {
            Stacks = Members(reply.Result, "Stacks").Select(m => Stack(m, form.Action)).ToList(),
            RequestId = reply.RequestId,
        };
    }

    public async Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(DescribeStackEventsRequest), nameof(request.StackName));
        var form = new QueryForm("DescribeStackEvents")
            .Add("StackName", request.StackName)
            .Add("NextToken", request.NextToken);
        var reply = await SendAsync(form, retryable: true, cancellationToken);
        return new DescribeStackEventsResponse
        {
            StackEvents = Members(reply.Result, "StackEvents").Select(m => StackEvent(m, form.Action)).ToList(),
            NextToken = Text(reply.Result, "NextToken") is { Length: > 0 } token ? token : null,
            RequestId = reply.RequestId,
        };
    }

    public async Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(DeleteStackRequest), nameof(request.StackName));
        var form = new QueryForm("DeleteStack")
            .Add("StackName", request.StackName)
            .Add("RoleARN", request.RoleARN)
            .Add("ClientRequestToken", request.ClientRequestToken);
        var reply = await SendAsync(form, retryable: request.ClientRequestToken is not null, cancellationToken);
        return new DeleteStackResponse { RequestId = reply.RequestId };
    }

    public async Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(CancelUpdateStackRequest), nameof(request.StackName));
        var form = new QueryForm("CancelUpdateStack")
            .Add("StackName", request.StackName)
            .Add("ClientRequestToken", request.ClientRequestToken);
        var reply = await SendAsync(form, retryable: request.ClientRequestToken is not null, cancellationToken);
        return new CancelUpdateStackResponse { RequestId = reply.RequestId };
    }

    public async Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(DetectStackDriftRequest), nameof(request.StackName));
        var form = new QueryForm("DetectStackDrift")
            .Add("StackName", request.StackName)
            .AddList("LogicalResourceIds", request.LogicalResourceIds);
        // Starts a read-only operation: a retry at worst starts a second detection, and the caller follows the id it got.
        var reply = await SendAsync(form, retryable: true, cancellationToken);
        return new DetectStackDriftResponse
        {
            StackDriftDetectionId = Required(reply.Result, "StackDriftDetectionId", form.Action),
            RequestId = reply.RequestId,
        };
    }

    public async Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(
        DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackDriftDetectionId, nameof(DescribeStackDriftDetectionStatusRequest), nameof(request.StackDriftDetectionId));
        var form = new QueryForm("DescribeStackDriftDetectionStatus").Add("StackDriftDetectionId", request.StackDriftDetectionId);
        var reply = await SendAsync(form, retryable: true, cancellationToken);
        var result = reply.Result;
        return new DescribeStackDriftDetectionStatusResponse
        {
            StackId = Required(result, "StackId", form.Action),
            StackDriftDetectionId = Required(result, "StackDriftDetectionId", form.Action),
            StackDriftStatus = Text(result, "StackDriftStatus"),
            DetectionStatus = Required(result, "DetectionStatus", form.Action),
            DetectionStatusReason = Text(result, "DetectionStatusReason"),
            DriftedStackResourceCount = Int(result, "DriftedStackResourceCount", form.Action),
            Timestamp = Time(result, "Timestamp") ?? default,
            RequestId = reply.RequestId,
        };
    }

    public async Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(
        DescribeStackResourceDriftsRequest request, CancellationToken cancellationToken = default)
    {
        Require(request.StackName, nameof(DescribeStackResourceDriftsRequest), nameof(request.StackName));
        if (request.MaxResults is < 1 or > 100)
            throw new ArgumentException($"DescribeStackResourceDriftsRequest.MaxResults must be between 1 and 100 (got {request.MaxResults}).", nameof(request));
        var form = new QueryForm("DescribeStackResourceDrifts")
            .Add("StackName", request.StackName)
            .AddList("StackResourceDriftStatusFilters", request.StackResourceDriftStatusFilters)
            .Add("NextToken", request.NextToken)
            .Add("MaxResults", request.MaxResults?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var reply = await SendAsync(form, retryable: true, cancellationToken);
        return new DescribeStackResourceDriftsResponse
        {
            StackResourceDrifts = Members(reply.Result, "StackResourceDrifts").Select(m => StackResourceDrift(m, form.Action)).ToList(),
            NextToken = Text(reply.Result, "NextToken") is { Length: > 0 } token ? token : null,
            RequestId = reply.RequestId,
        };
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private sealed record Reply(XElement? Result, string? RequestId);

    private async Task<Reply> SendAsync(QueryForm form, bool retryable, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = !retryable || attempt >= _options.MaxAttempts;
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                // A fresh message per attempt: the signer stamps each one with its own time and signature.
                using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = form.ToContent() };
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
                var body = await ReadBodyAsync(form.Action, response, attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                    return ParseReply(form.Action, body);
                var error = ParseError(form.Action, response, body, attempt);
                if (last || !error.IsTransient)
                    throw error;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (last)
                    throw new TimeoutException(
                        $"CloudFormation {form.Action} at {Endpoint} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s ({Tries(attempt)}).");
            }
            catch (HttpRequestException ex)
            {
                if (last)
                    throw new HttpRequestException(
                        $"CloudFormation {form.Action}: could not reach {Endpoint} ({Tries(attempt)}): {ex.Message}", ex, ex.StatusCode);
            }
            await Task.Delay(_options.Backoff(attempt - 1), _time, cancellationToken);
        }
    }

    private static string Tries(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    /// <summary>
    /// The reply's text, read no further than <see cref="CloudFormationClientOptions.MaxReplyBytes"/>: a longer reply (a
    /// proxy's endless answer, a hostile endpoint) is refused as <c>ReplyTooLarge</c> instead of filling memory.
    /// </summary>
    private async Task<string> ReadBodyAsync(string action, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxReplyBytes;
        if (response.Content.Headers.ContentLength > max)
            throw TooLarge(action, response, max);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                    throw TooLarge(action, response, max);
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            using var text = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return await text.ReadToEndAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            // The connection broke mid-reply: as worth retrying as one that broke before the reply began.
            throw new HttpRequestException($"the reply broke off: {ex.Message}", ex);
        }
    }

    private static CloudFormationException TooLarge(string action, HttpResponseMessage response, long max) => new(
        action, "ReplyTooLarge", $"Unreadable reply: more than {max:N0} bytes ({CloudFormationClientOptions.Section}:MaxReplyBytes).",
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null, response.StatusCode);

    /// <summary>
    /// CloudFormation's replies never declare a document type: one that does is refused unread, so no entity is expanded
    /// (nor fetched) whatever answers at the endpoint.
    /// </summary>
    private static readonly XmlReaderSettings ReplyXml = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private static XDocument ParseXml(string body)
    {
        using var reader = XmlReader.Create(new StringReader(body), ReplyXml);
        return XDocument.Load(reader);
    }

    private static Reply ParseReply(string action, string body)
    {
        XElement root;
        try
        {
            root = ParseXml(body).Root!;
        }
        catch (XmlException ex)
        {
            throw Malformed(action, ex.Message);
        }
        return new Reply(Child(root, action + "Result"), Text(Child(root, "ResponseMetadata"), "RequestId"));
    }

    private static CloudFormationException ParseError(string action, HttpResponseMessage response, string body, int attempt)
    {
        var headerRequestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        XElement? root = null;
        try
        {
            root = ParseXml(body).Root;
        }
        catch (XmlException)
        {
            // Not an AWS error document (a proxy's HTML page, an empty 503): described from the status below.
        }
        var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
        if (error is null)
        {
            var snippet = body.Length > 200 ? body[..200] + "…" : body;
            return new CloudFormationException(action, response.StatusCode.ToString(),
                string.IsNullOrWhiteSpace(snippet) ? response.ReasonPhrase ?? "no body" : snippet,
                headerRequestId, response.StatusCode, attempts: attempt);
        }
        return new CloudFormationException(
            action,
            Text(error, "Code") ?? response.StatusCode.ToString(),
            Text(error, "Message") ?? "",
            Text(root, "RequestId") ?? headerRequestId,
            response.StatusCode,
            Text(error, "Type"),
            attempt);
    }

    private static void Require(string? value, string request, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{request}.{field} is required.", field);
    }
}
