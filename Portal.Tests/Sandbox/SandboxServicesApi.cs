using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>
/// Raw calls to the sandbox's ECS and CloudWatch Logs (JSON 1.1) and Elastic Load Balancing (Query) endpoints, signed as
/// any AWS client signs them (AWSSDK.Core's signer), at <paramref name="clock"/>'s time.
/// </summary>
internal sealed class SandboxServicesApi(SandboxServer server, TimeProvider? clock = null) : IDisposable
{
    public static readonly XNamespace ElbNs = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    private readonly HttpClient _http = new();
    private readonly AWSCredentials _credentials = SandboxSigning.Credentials(server.CloudFormation.Options);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public void Dispose() => _http.Dispose();

    /// <summary>A JSON 1.1 call; <paramref name="signAs"/> is the service the signature is scoped to (the endpoint's own by default).</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> JsonAsync(Uri url, string target, JsonObject request, string signAs) =>
        (await JsonAsync(url, target, request.ToJsonString(), signAs, "application/x-amz-json-1.1")).Pick();

    /// <summary>A JSON call of the given protocol version (its content type), with the body as written and the reply's headers.</summary>
    public async Task<JsonReply> JsonAsync(Uri url, string target, string body, string signAs, string contentType)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        message.Content.Headers.ContentType = new(contentType);
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        await SandboxSigning.SignAsync(message, _credentials, _clock.GetUtcNow(), service: signAs);
        using var response = await _http.SendAsync(message);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        return new JsonReply(response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(),
            response.Headers.TryGetValues("x-amzn-query-error", out var queryError) ? queryError.Single() : null);
    }

    public async Task<JsonObject> EcsAsync(string action, JsonObject request)
    {
        var (status, body) = await JsonAsync(server.EcsUrl, $"AmazonEC2ContainerServiceV20141113.{action}", request, "ecs");
        Assert.True(status == HttpStatusCode.OK, $"{action}: {status} {body}");
        return body;
    }

    public async Task<JsonObject> LogsAsync(string action, JsonObject request)
    {
        var (status, body) = await JsonAsync(server.LogsUrl, $"Logs_20140328.{action}", request, "logs");
        Assert.True(status == HttpStatusCode.OK, $"{action}: {status} {body}");
        return body;
    }

    /// <summary>A Query call to Elastic Load Balancing (version 2015-12-01).</summary>
    public async Task<(HttpStatusCode Status, XElement Body)> ElbAsync(string action, string signAs = "elasticloadbalancing", params (string Key, string Value)[] parameters)
    {
        var form = new[] { ("Action", action), ("Version", "2015-12-01") }.Concat(parameters).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2));
        using var message = new HttpRequestMessage(HttpMethod.Post, server.ElasticLoadBalancingUrl) { Content = new FormUrlEncodedContent(form) };
        await SandboxSigning.SignAsync(message, _credentials, _clock.GetUtcNow(), service: signAs);
        using var response = await _http.SendAsync(message);
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The service, described.</summary>
    public async Task<JsonObject> ServiceAsync(string cluster, string service)
    {
        var reply = await EcsAsync("DescribeServices", new JsonObject { ["cluster"] = cluster, ["services"] = new JsonArray(service) });
        Assert.Empty(reply["failures"]!.AsArray());
        return reply["services"]!.AsArray().Single()!.AsObject();
    }

    /// <summary>The service's tasks with <paramref name="desiredStatus"/>, described.</summary>
    public async Task<List<JsonObject>> TasksAsync(string cluster, string service, string desiredStatus)
    {
        var arns = (await EcsAsync("ListTasks", new JsonObject { ["cluster"] = cluster, ["serviceName"] = service, ["desiredStatus"] = desiredStatus }))["taskArns"]!.AsArray();
        if (arns.Count == 0)
            return [];
        var described = await EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = cluster, ["tasks"] = arns.DeepClone() });
        Assert.Empty(described["failures"]!.AsArray());
        return [.. described["tasks"]!.AsArray().Select(t => t!.AsObject())];
    }

    /// <summary>Every target of the group with its health: (id, state, reason, description).</summary>
    public async Task<List<(string Id, string State, string? Reason, string? Description)>> TargetsAsync(string targetGroupArn)
    {
        var (status, body) = await ElbAsync("DescribeTargetHealth", parameters: ("TargetGroupArn", targetGroupArn));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return [.. body.Descendants(ElbNs + "TargetHealthDescriptions").Single().Elements(ElbNs + "member").Select(m =>
        {
            var health = m.Element(ElbNs + "TargetHealth")!;
            return (m.Element(ElbNs + "Target")!.Element(ElbNs + "Id")!.Value, health.Element(ElbNs + "State")!.Value,
                health.Element(ElbNs + "Reason")?.Value, health.Element(ElbNs + "Description")?.Value);
        })];
    }

    /// <summary>The messages of a log stream, oldest first.</summary>
    public async Task<List<string>> LogAsync(string group, string stream)
    {
        var reply = await LogsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true });
        return [.. reply["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>())];
    }
}

/// <summary>A JSON reply: its status, body and, from a service that also speaks Query (SQS), its <c>x-amzn-query-error</c>.</summary>
internal sealed record JsonReply(HttpStatusCode Status, JsonObject Body, string? QueryError)
{
    public (HttpStatusCode Status, JsonObject Body) Pick() => (Status, Body);
}
