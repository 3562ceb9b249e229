using System.Net;
using Portal.Infra.Aws;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Tests.CloudFormation;
using static Portal.Tests.Diagnostics.DiagnosticsExamples;

namespace Portal.Tests.Diagnostics;

/// <summary>
/// Every diagnosis operation rides the transport the CloudFormation client rides: throttling and AWS's own failures are
/// retried, a request AWS refuses is not, every error names its service, code and message, a reply past the bound is
/// refused unread, and a reply that is not what the API promises is a <c>MalformedResponse</c>.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DiagnosticsRetryTests
{
    private sealed record Operation(
        string Service, Func<WireRecorder, AwsClientOptions, Task<AwsResponse>> Call, Action<ScriptedHttp> Succeed,
        Action<ScriptedHttp, string, string, HttpStatusCode> Fail, string Throttling);

    private static Action<ScriptedHttp, string, string, HttpStatusCode> JsonFailure =>
        (http, code, message, status) => http.ReplyJson(JsonError(code, message), status);

    private static Action<ScriptedHttp, string, string, HttpStatusCode> XmlFailure =>
        (http, code, message, status) => http.Reply(XmlError(code, message), status);

    private static readonly Dictionary<string, Operation> Operations = new()
    {
        ["DescribeServices"] = new("ECS", async (wire, options) =>
        {
            using var ecs = DiagnosticsWire.Ecs(wire, options);
            return await ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = ["ecs-simple-service"] });
        }, http => http.ReplyJson(DescribeServicesJson), JsonFailure, "ThrottlingException"),
        ["ListTasks"] = new("ECS", async (wire, options) =>
        {
            using var ecs = DiagnosticsWire.Ecs(wire, options);
            return await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "default" });
        }, http => http.ReplyJson(ListTasksJson), JsonFailure, "ThrottlingException"),
        ["DescribeTasks"] = new("ECS", async (wire, options) =>
        {
            using var ecs = DiagnosticsWire.Ecs(wire, options);
            return await ecs.DescribeTasksAsync(new DescribeTasksRequest { Tasks = ["c5cba4eb-5dad-405e-96db-71ef8eefe6a8"] });
        }, http => http.ReplyJson(DescribeTasksJson), JsonFailure, "ThrottlingException"),
        ["DescribeTargetHealth"] = new("Elastic Load Balancing", async (wire, options) =>
        {
            using var elb = DiagnosticsWire.ElasticLoadBalancing(wire, options);
            return await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = TargetGroupArn });
        }, http => http.Reply(DescribeTargetHealthXml), XmlFailure, "Throttling"),
        ["GetLogEvents"] = new("CloudWatch Logs", async (wire, options) =>
        {
            using var logs = DiagnosticsWire.Logs(wire, options);
            return await logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "my-logs", LogStreamName = "20150601" });
        }, http => http.ReplyJson(GetLogEventsJson), JsonFailure, "ThrottlingException"),
    };

    public static TheoryData<string> Actions => new(Operations.Keys);

    public static TheoryData<string, bool> ActionsThrottledOrFailing
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var action in Operations.Keys)
            {
                data.Add(action, true);
                data.Add(action, false);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ActionsThrottledOrFailing))]
    public async Task AThrottledOrFailedCallIsSentAgainSignedAfreshAndSucceeds(string action, bool throttled)
    {
        var operation = Operations[action];
        var http = new ScriptedHttp();
        if (throttled)
            operation.Fail(http, operation.Throttling, "Rate exceeded", HttpStatusCode.BadRequest);
        else
            operation.Fail(http, "InternalFailure", "We encountered an internal error. Please try again.", HttpStatusCode.InternalServerError);
        operation.Succeed(http);
        var wire = new WireRecorder(http);

        var response = await operation.Call(wire, DiagnosticsWire.Options());

        Assert.NotNull(response.RequestId);
        Assert.Equal(2, wire.Sent.Count);
        Assert.All(wire.Sent, sent => Assert.True(WireRecorder.Scope(sent).Success));
        Assert.Equal(wire.Bodies[0], wire.Bodies[1]);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task ThrottlingToTheLastAttemptThrowsTheThrottlingErrorWithTheAttemptCount(string action)
    {
        var operation = Operations[action];
        var http = new ScriptedHttp();
        operation.Fail(http, operation.Throttling, "Rate exceeded", HttpStatusCode.BadRequest);
        var wire = new WireRecorder(http);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => operation.Call(wire, DiagnosticsWire.Options(maxAttempts: 3)));

        Assert.Equal(operation.Throttling, error.ErrorCode);
        Assert.True(error.IsThrottling);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, wire.Sent.Count);
        Assert.Contains($"{operation.Service} {action} failed: {operation.Throttling}: Rate exceeded (HTTP 400", error.Message);
        Assert.Contains("after 3 attempts", error.Message);
    }

    public static TheoryData<string, string, string> RequestErrors => new()
    {
        { "DescribeServices", "ClusterNotFoundException", "Cluster not found." },
        { "ListTasks", "InvalidParameterException", "Service name portal-x is not valid." },
        { "DescribeTasks", "AccessDeniedException", "User is not authorized to perform: ecs:DescribeTasks" },
        { "DescribeTargetHealth", "TargetGroupNotFound", "One or more target groups not found" },
        { "GetLogEvents", "ResourceNotFoundException", "The specified log group does not exist." },
    };

    [Theory]
    [MemberData(nameof(RequestErrors))]
    public async Task ARefusedRequestIsSentOnceAndItsErrorCarriesServiceCodeMessageAndRequestId(string action, string code, string message)
    {
        var operation = Operations[action];
        var http = new ScriptedHttp();
        operation.Fail(http, code, message, HttpStatusCode.BadRequest);
        operation.Succeed(http);
        var wire = new WireRecorder(http);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => operation.Call(wire, DiagnosticsWire.Options()));

        Assert.Single(wire.Sent);
        Assert.Equal((operation.Service, action, code, message), (error.Service, error.Action, error.ErrorCode, error.ErrorMessage));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(RequestId, error.RequestId);
        Assert.False(error.IsTransient);
        Assert.False(AwsServiceException.IsTransientFailure(error));
        Assert.Equal($"{operation.Service} {action} failed: {code}: {message} (HTTP 400, request {RequestId})", error.Message);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task AReplyLargerThanTheBoundIsRefusedAndNotAskedForAgain(string action)
    {
        var operation = Operations[action];
        var http = new ScriptedHttp();
        operation.Succeed(http);
        var wire = new WireRecorder(http);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => operation.Call(wire, DiagnosticsWire.Options(maxReplyBytes: 128)));

        Assert.Equal("ReplyTooLarge", error.ErrorCode);
        Assert.Equal("Unreadable reply: more than 128 bytes (CloudFormation:MaxReplyBytes).", error.ErrorMessage);
        Assert.Equal(operation.Service, error.Service);
        Assert.Single(wire.Sent);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"services":[{"serviceName":"no-arn"}]}""")]
    [InlineData("""{"services":[{"serviceArn":null,"serviceName":"s"}]}""")]
    [InlineData("""{"services":[{"serviceArn":"a","serviceName":"s","createdAt":"yesterday"}]}""")]
    [InlineData("""{"services":[{"serviceArn":"a","serviceName":"s","createdAt":1e300}]}""")]
    public async Task AJsonReplyThatIsNotWhatTheApiPromisesIsAMalformedResponse(string json)
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(json));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = ["s"] }));

        Assert.Equal(("ECS", "DescribeServices", "MalformedResponse"), (error.Service, error.Action, error.ErrorCode));
        Assert.StartsWith("Unreadable reply: ", error.ErrorMessage);
        Assert.Equal(RequestId, error.RequestId);
        Assert.Single(wire.Sent);
    }

    [Theory]
    [InlineData("""{"__type":"ClientException","message":"plain code"}""", null, "ClientException", "plain code")]
    [InlineData("""{"__type":"com.amazon.coral.service#ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/","Message":"Rate exceeded"}""", null, "ThrottlingException", "Rate exceeded")]
    [InlineData("""{"message":"code in the header"}""", "ServerException:http://internal.amazon.com/coral/", "ServerException", "code in the header")]
    [InlineData("<html>Bad Gateway</html>", null, "BadGateway", "<html>Bad Gateway</html>")]
    public async Task AJsonErrorIsReadFromTypeMessageAndHeaderOrElseFromTheStatus(string body, string? errorTypeHeader, string code, string message)
    {
        var status = code == "BadGateway" ? HttpStatusCode.BadGateway : HttpStatusCode.BadRequest;
        var http = new ScriptedHttp().Then((_, _) =>
        {
            var reply = new HttpResponseMessage(status) { Content = new StringContent(body) };
            if (errorTypeHeader is not null)
                reply.Headers.Add("x-amzn-ErrorType", errorTypeHeader);
            return Task.FromResult(reply);
        });
        var wire = new WireRecorder(http);
        using var ecs = DiagnosticsWire.Ecs(wire, DiagnosticsWire.Options(maxAttempts: 1));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => ecs.DescribeTasksAsync(new DescribeTasksRequest { Tasks = ["t"] }));

        Assert.Equal((code, message), (error.ErrorCode, error.ErrorMessage));
    }

    [Fact]
    public async Task AnUnreachableEndpointEndsInAnErrorNamingTheServiceAndTheEndpoint()
    {
        var wire = new WireRecorder(new ScriptedHttp().Fail(new HttpRequestException("Connection refused")));
        using var logs = DiagnosticsWire.Logs(wire, DiagnosticsWire.Options(maxAttempts: 2));

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "g", LogStreamName = "s" }));

        Assert.Equal("CloudWatch Logs GetLogEvents: could not reach https://logs.us-east-1.amazonaws.com/ (2 attempts): Connection refused", error.Message);
        Assert.True(AwsServiceException.IsTransientFailure(error));
    }
}
