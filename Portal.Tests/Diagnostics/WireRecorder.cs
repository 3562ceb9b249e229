using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Portal.Infra.Aws;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Tests.CloudFormation;

namespace Portal.Tests.Diagnostics;

/// <summary>
/// Sits below the signer and above <see cref="ScriptedHttp"/> (which answers from its script and records the signed
/// headers): keeps each request's body exactly as sent, which the JSON protocol's tests read as JSON.
/// </summary>
public sealed partial class WireRecorder(ScriptedHttp replies) : DelegatingHandler(replies)
{
    private readonly ConcurrentQueue<string> _bodies = new();

    public ScriptedHttp Replies { get; } = replies;

    public IReadOnlyList<string> Bodies => _bodies.ToList();

    public IReadOnlyList<SentRequest> Sent => Replies.Sent;

    /// <summary>The last request's JSON body.</summary>
    public JsonElement LastJson => JsonDocument.Parse(Bodies[^1]).RootElement;

    /// <summary>The SigV4 credential scope of a request: key, date, region and the signing service.</summary>
    public static Match Scope(SentRequest sent) => Authorization().Match(sent.Headers["Authorization"]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _bodies.Enqueue(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9]+)/aws4_request, SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=[0-9a-f]{64}$")]
    private static partial Regex Authorization();
}

/// <summary>The diagnosis clients as the tests build them: signed with test keys, nothing real behind them.</summary>
internal static class DiagnosticsWire
{
    public static readonly BasicAWSCredentials Credentials = new("AKIDTESTPORTAL", "test");

    /// <summary>Retries without waiting, so retry tests take no time; <paramref name="maxReplyBytes"/> bounds replies.</summary>
    public static AwsClientOptions Options(int maxAttempts = 5, long maxReplyBytes = 16 * 1024 * 1024) =>
        new() { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, MaxReplyBytes = maxReplyBytes };

    public static EcsClient Ecs(WireRecorder wire, AwsClientOptions? options = null) =>
        EcsClient.Create(new Uri("https://ecs.us-east-1.amazonaws.com/"), Credentials, "us-east-1", options ?? Options(), transport: wire);

    public static ElasticLoadBalancingV2Client ElasticLoadBalancing(WireRecorder wire, AwsClientOptions? options = null) =>
        ElasticLoadBalancingV2Client.Create(new Uri("https://elasticloadbalancing.us-west-2.amazonaws.com/"), Credentials, "us-west-2",
            options ?? Options(), transport: wire);

    public static CloudWatchLogsClient Logs(WireRecorder wire, AwsClientOptions? options = null) =>
        CloudWatchLogsClient.Create(new Uri("https://logs.us-east-1.amazonaws.com/"), Credentials, "us-east-1", options ?? Options(), transport: wire);

    /// <summary>A JSON 1.1 reply as ECS and CloudWatch Logs send it, with its request id in the header.</summary>
    public static ScriptedHttp ReplyJson(this ScriptedHttp http, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        http.Then((_, _) => Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1"),
            Headers = { { "x-amzn-RequestId", DiagnosticsExamples.RequestId } },
        }));
}
