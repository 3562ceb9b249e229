using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Portal.Sandbox;

/// <summary>
/// An endpoint of another AWS service beside CloudFormation, answering from the same account: it verifies SigV4 scoped to
/// its own service name, reads the body within <see cref="SandboxOptions.MaxRequestBytes"/>, and answers in its protocol.
/// </summary>
internal abstract class ServiceEndpoint(CloudFormationSimulator simulator, string service)
{
    private readonly SigV4Authorization _authorization = new(simulator.Options, simulator.Time, service);

    protected CloudFormationSimulator Simulator { get; } = simulator;

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var cancellationToken = context.RequestAborted;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        try
        {
            // As at the CloudFormation endpoint: nothing of the body is read for a request that cannot be genuine.
            var signed = _authorization.Check(context.Request);
            var body = await RequestBody.ReadAsync(context.Request, Simulator.Options.MaxRequestBytes, cancellationToken);
            _authorization.Verify(context.Request, signed, body);
            await AnswerAsync(context, body, requestId, cancellationToken);
        }
        catch (CloudFormationError error)
        {
            await WriteErrorAsync(context.Response, error, requestId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the caller went away
        }
        catch (Exception e)
        {
            await WriteErrorAsync(context.Response, new CloudFormationError(HttpStatusCode.InternalServerError, "InternalFailure", $"Sandbox internal error: {e.Message}"),
                requestId, cancellationToken);
        }
    }

    protected abstract Task AnswerAsync(HttpContext context, byte[] body, string requestId, CancellationToken cancellationToken);

    protected abstract Task WriteErrorAsync(HttpResponse response, CloudFormationError error, string requestId, CancellationToken cancellationToken);
}

/// <summary>An action of a JSON endpoint; it takes the simulator's lock itself, for as long as it needs it.</summary>
internal delegate Task<JsonObject> JsonAction(CloudFormationSimulator simulator, JsonRequest request, CancellationToken cancellationToken);

/// <summary>
/// How a JSON service frames its requests and errors: its content type (JSON 1.1 for ECS and CloudWatch Logs, 1.0 for
/// SQS), the code for a bad member, and for a service that also speaks the Query protocol (SQS, AWS's
/// <c>awsQueryCompatible</c>) the namespace of its error types and their Query codes, sent in <c>x-amzn-query-error</c>
/// (<c>code;Sender</c>), which AWS's SDKs read before <c>__type</c>.
/// </summary>
internal sealed record JsonProtocol(string ContentType, string InvalidCode, string? ErrorNamespace = null, IReadOnlyDictionary<string, string>? QueryCodes = null)
{
    public static readonly JsonProtocol Json11 = new("application/x-amz-json-1.1", "InvalidParameterException");
}

/// <summary>
/// AWS's JSON protocols (ECS, CloudWatch Logs, SQS): a POST whose <c>X-Amz-Target</c> names <c>&lt;prefix&gt;.&lt;Action&gt;</c>,
/// a JSON body, a JSON reply; errors <c>{"__type": code, "message": …}</c>, signature refusals with the JSON services'
/// codes. What an action changed is written to the account before it is answered. <paramref name="admit"/>, if given,
/// may refuse a call before it runs (throttling).
/// </summary>
internal sealed class JsonServiceEndpoint(
    CloudFormationSimulator simulator, string service, string targetPrefix, IReadOnlyDictionary<string, JsonAction> actions,
    JsonProtocol? protocol = null, Func<string, CloudFormationError?>? admit = null) : ServiceEndpoint(simulator, service)
{
    private readonly JsonProtocol _protocol = protocol ?? JsonProtocol.Json11;

    // The Query protocol's signature refusals as the JSON services name them (all 400 there).
    private static readonly Dictionary<string, string> SignatureCodes = new(StringComparer.Ordinal)
    {
        ["MissingAuthenticationToken"] = "MissingAuthenticationTokenException",
        ["IncompleteSignature"] = "IncompleteSignatureException",
        ["InvalidClientTokenId"] = "UnrecognizedClientException",
        ["SignatureDoesNotMatch"] = "InvalidSignatureException",
        ["RequestExpired"] = "InvalidSignatureException",
    };

    /// <summary>An action that answers at once from the account as it is, under the simulator's lock.</summary>
    public static JsonAction Locked(Func<CloudFormationSimulator, JsonRequest, JsonObject> handler) => (simulator, request, _) =>
    {
        lock (simulator.Gate)
            return Task.FromResult(handler(simulator, request));
    };

    public static IReadOnlyDictionary<string, JsonAction> Locked(IReadOnlyDictionary<string, Func<CloudFormationSimulator, JsonRequest, JsonObject>> handlers) =>
        handlers.ToDictionary(kv => kv.Key, kv => Locked(kv.Value), StringComparer.Ordinal);

    protected override async Task AnswerAsync(HttpContext context, byte[] body, string requestId, CancellationToken cancellationToken)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var action = target.StartsWith(targetPrefix + ".", StringComparison.Ordinal) ? target[(targetPrefix.Length + 1)..] : null;
        if (action is null || !actions.TryGetValue(action, out var handler))
            throw new CloudFormationError(HttpStatusCode.BadRequest, "UnknownOperationException",
                target.Length == 0 ? "Missing X-Amz-Target header." : $"Unknown operation {target[..Math.Min(target.Length, 256)]}");
        if (admit?.Invoke(action) is { } refused)
            throw refused;
        JsonObject request;
        try
        {
            request = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject
                ?? throw new CloudFormationError(HttpStatusCode.BadRequest, "SerializationException", "The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new CloudFormationError(HttpStatusCode.BadRequest, "SerializationException", $"The request body is not JSON: {e.Message}");
        }
        var reply = await handler(Simulator, new JsonRequest(request, _protocol.InvalidCode), cancellationToken);
        Simulator.Persist();
        await WriteAsync(context.Response, HttpStatusCode.OK, reply, cancellationToken);
    }

    protected override Task WriteErrorAsync(HttpResponse response, CloudFormationError error, string requestId, CancellationToken cancellationToken)
    {
        var (status, code) = SignatureCodes.TryGetValue(error.Code, out var jsonCode)
            ? (HttpStatusCode.BadRequest, jsonCode)
            : (error.Status, _protocol.ErrorNamespace is { } ns ? $"{ns}#{error.Code}" : error.Code);
        if (_protocol.QueryCodes is { } queryCodes)
            response.Headers["x-amzn-query-error"] = $"{queryCodes.GetValueOrDefault(error.Code, error.Code)};{error.FaultType}";
        return WriteAsync(response, status, new JsonObject { ["__type"] = code, ["message"] = error.Message }, cancellationToken);
    }

    private async Task WriteAsync(HttpResponse response, HttpStatusCode status, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = (int)status;
        response.ContentType = _protocol.ContentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }
}

/// <summary>The Query protocol of Elastic Load Balancing (version 2015-12-01), XML replies in its namespace.</summary>
internal sealed class ElasticLoadBalancingEndpoint(CloudFormationSimulator simulator) : ServiceEndpoint(simulator, "elasticloadbalancing")
{
    protected override async Task AnswerAsync(HttpContext context, byte[] body, string requestId, CancellationToken cancellationToken)
    {
        var request = QueryRequest.Parse(context.Request, body);
        var action = request.Optional("Action") ?? throw new CloudFormationError(HttpStatusCode.BadRequest, "MissingAction", "Missing Action");
        var version = request.Optional("Version");
        if (!ElasticLoadBalancingActions.Handlers.TryGetValue(action, out var handler) || version != ElasticLoadBalancingActions.Version)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "InvalidAction",
                $"Could not find operation {action[..Math.Min(action.Length, 256)]} for version {version ?? "NO_VERSION_SPECIFIED"}");
        XElement result;
        lock (Simulator.Gate)
            result = handler(Simulator, request);
        await QueryXml.WriteAsync(context.Response, HttpStatusCode.OK, QueryXml.Response(action, requestId, result, ElasticLoadBalancingActions.Namespace),
            requestId, cancellationToken);
    }

    protected override Task WriteErrorAsync(HttpResponse response, CloudFormationError error, string requestId, CancellationToken cancellationToken) =>
        QueryXml.WriteAsync(response, error.Status, QueryXml.Error(error, requestId, ElasticLoadBalancingActions.Namespace), requestId, cancellationToken);
}
