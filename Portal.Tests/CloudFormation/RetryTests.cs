using System.Net;
using Portal.Infra.CloudFormation;
using static Portal.Tests.CloudFormation.DocumentedExamples;

namespace Portal.Tests.CloudFormation;

/// <summary>Retries as the AWS SDKs do, and never a retry that could apply a change twice.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RetryTests
{
    private static readonly DescribeStacksRequest MyStack = new() { StackName = "MyStack" };

    [Theory]
    [InlineData("Throttling", HttpStatusCode.BadRequest)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest)]
    [InlineData("RequestLimitExceeded", HttpStatusCode.BadRequest)]
    [InlineData("InternalFailure", HttpStatusCode.InternalServerError)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    public async Task AThrottledOrFailedDescribeIsSentAgainAndSucceeds(string code, HttpStatusCode status)
    {
        var http = new ScriptedHttp().Reply(Error(code, "Rate exceeded", "Receiver"), status).Reply(DescribeStacksXml);
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DescribeStacksAsync(MyStack);

        Assert.Equal("CREATE_COMPLETE", response.Stacks.Single().StackStatus);
        Assert.Equal(2, http.Sent.Count);
        Assert.All(http.Sent, s => Assert.StartsWith("AWS4-HMAC-SHA256 ", s.Headers["Authorization"]));
    }

    [Fact]
    public async Task AConnectionFailureIsRetried()
    {
        var http = new ScriptedHttp().Fail(new HttpRequestException("Connection refused")).Reply(DescribeStacksXml);
        using var client = QueryProtocolTests.Client(http);

        await client.DescribeStacksAsync(MyStack);

        Assert.Equal(2, http.Sent.Count);
    }

    [Fact]
    public async Task ASendThatDoesNotAnswerInTimeIsAbandonedAndRetried()
    {
        var http = new ScriptedHttp()
            .Then(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException("unreachable"); })
            .Reply(DescribeStacksXml);
        using var client = CloudFormationClient.Create(new Uri("http://127.0.0.1:1/"), new Amazon.Runtime.BasicAWSCredentials("AKIDTESTPORTAL", "test"),
            "us-east-1", new CloudFormationClientOptions { BaseDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromMilliseconds(50) }, transport: http);

        await client.DescribeStacksAsync(MyStack);

        Assert.Equal(2, http.Sent.Count);
    }

    [Fact]
    public async Task ExhaustedRetriesThrowTheLastErrorWithItsCodeAndTheAttemptCount()
    {
        var http = new ScriptedHttp().Reply(Error("Throttling", "Rate exceeded"), HttpStatusCode.BadRequest);
        using var client = QueryProtocolTests.Client(http, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(MyStack));

        Assert.Equal("Throttling", error.ErrorCode);
        Assert.True(error.IsThrottling);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Equal(3, http.Sent.Count);
    }

    [Fact]
    public async Task AnUnreachableEndpointEndsInAnErrorNamingIt()
    {
        var http = new ScriptedHttp().Fail(new HttpRequestException("Connection refused"));
        using var client = QueryProtocolTests.Client(http, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.DescribeStacksAsync(MyStack));

        Assert.Contains("https://cloudformation.us-east-1.amazonaws.com/", error.Message);
        Assert.Contains("2 attempts", error.Message);
        Assert.True(CloudFormationException.IsTransientFailure(error));
    }

    [Fact]
    public async Task ARequestErrorIsNotRetried()
    {
        var http = new ScriptedHttp().Reply(Error("ValidationError", "Template format error"), HttpStatusCode.BadRequest);
        using var client = QueryProtocolTests.Client(http);

        await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStacksAsync(MyStack));

        Assert.Single(http.Sent);
    }

    public static TheoryData<string, Func<ICloudFormation, Task>> StateChangesWithoutToken => new()
    {
        { "CreateChangeSet", c => c.CreateChangeSetAsync(new CreateChangeSetRequest { StackName = "s", ChangeSetName = "c", ChangeSetType = ChangeSetType.Create, TemplateBody = "{}" }) },
        { "ExecuteChangeSet", c => c.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = ChangeSetArn }) },
        { "DeleteStack", c => c.DeleteStackAsync(new DeleteStackRequest { StackName = "s" }) },
        { "CancelUpdateStack", c => c.CancelUpdateStackAsync(new CancelUpdateStackRequest { StackName = "s" }) },
        { "DeleteChangeSet", c => c.DeleteChangeSetAsync(new DeleteChangeSetRequest { ChangeSetName = ChangeSetArn }) },
    };

    [Theory]
    [MemberData(nameof(StateChangesWithoutToken))]
    public async Task AStateChangeWithoutAnIdempotencyTokenIsSentOnlyOnce(string action, Func<ICloudFormation, Task> call)
    {
        var http = new ScriptedHttp().Reply(Error("InternalFailure", "try later", "Receiver"), HttpStatusCode.InternalServerError);
        using var client = QueryProtocolTests.Client(http);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => call(client));

        Assert.Equal(action, error.Action);
        Assert.Equal(action, Assert.Single(http.Sent).Action);
    }

    public static TheoryData<string, Func<ICloudFormation, Task>> StateChangesWithToken => new()
    {
        { "CreateChangeSet", c => c.CreateChangeSetAsync(new CreateChangeSetRequest { StackName = "s", ChangeSetName = "c", ChangeSetType = ChangeSetType.Create, TemplateBody = "{}", ClientToken = "t" }) },
        { "ExecuteChangeSet", c => c.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = ChangeSetArn, ClientRequestToken = "t" }) },
        { "DeleteStack", c => c.DeleteStackAsync(new DeleteStackRequest { StackName = "s", ClientRequestToken = "t" }) },
        { "CancelUpdateStack", c => c.CancelUpdateStackAsync(new CancelUpdateStackRequest { StackName = "s", ClientRequestToken = "t" }) },
    };

    [Theory]
    [MemberData(nameof(StateChangesWithToken))]
    public async Task AStateChangeCarryingItsIdempotencyTokenIsRetried(string action, Func<ICloudFormation, Task> call)
    {
        var reply = action == "CreateChangeSet" ? CreateChangeSetXml : $"<{action}Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"/>";
        var http = new ScriptedHttp().Reply(Error("Throttling", "Rate exceeded"), HttpStatusCode.BadRequest).Reply(reply);
        using var client = QueryProtocolTests.Client(http);

        await call(client);

        Assert.Equal([action, action], http.Sent.Select(s => s.Action));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.999)]
    public void TheWaitBeforeARetryIsARandomShareOfACeilingThatDoublesUpToMaxDelay(double jitter)
    {
        var options = new CloudFormationClientOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(1),
            Jitter = () => jitter,
        };

        var waits = Enumerable.Range(0, 7).Select(options.Backoff);

        Assert.Equal(new[] { 100, 200, 400, 800, 1000, 1000, 1000 }.Select(ceiling => TimeSpan.FromMilliseconds(ceiling * jitter)), waits);
    }

    [Fact]
    public void TheShareIsRandomAndWithinTheCeilingByDefault()
    {
        var options = new CloudFormationClientOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(20) };

        var waits = Enumerable.Range(0, 200).Select(_ => options.Backoff(3)).ToList();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromMilliseconds(800)));
        Assert.True(waits.Distinct().Count() > 100, "the waits do not vary");
    }

    [Fact]
    public async Task ACallThrottledAgainAndAgainWaitsTheBackoffBeforeEachRetry()
    {
        var http = new ScriptedHttp();
        for (var i = 0; i < 7; i++)
            http.Reply(Error("Throttling", "Rate exceeded", "Sender"), HttpStatusCode.BadRequest);
        http.Reply(DescribeStacksXml);
        var clock = new Portal.Tests.Deployments.TimerRecordingClock();
        using var client = CloudFormationClient.Create(new Uri("http://127.0.0.1:1/"), new Amazon.Runtime.BasicAWSCredentials("AKIDTESTPORTAL", "test"),
            "us-east-1", new CloudFormationClientOptions
            {
                MaxAttempts = 8,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(1),
                Jitter = () => 0.5,
            }, clock, transport: http);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var call = client.DescribeStacksAsync(MyStack, deadline.Token);
        // Each wait is let pass exactly when it is due, once the client has asked for it.
        var waits = new List<TimeSpan>();
        while (true)
        {
            var timer = clock.NextTimerAsync(deadline.Token);
            if (await Task.WhenAny(call, timer) == call)
                break;
            waits.Add(await timer);
            clock.Advance(waits[^1]);
        }

        Assert.Equal("CREATE_COMPLETE", (await call).Stacks.Single().StackStatus);
        Assert.Equal(8, http.Sent.Count);
        Assert.Equal(new[] { 50, 100, 200, 400, 500, 500, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms)), waits);
    }

    [Fact]
    public async Task CancellingTheCallerStopsRetryingAtOnce()
    {
        using var cancel = new CancellationTokenSource();
        var http = new ScriptedHttp().Then((_, _) =>
        {
            cancel.Cancel();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        });
        using var client = QueryProtocolTests.Client(http);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DescribeStacksAsync(MyStack, cancel.Token));

        Assert.Single(http.Sent);
    }
}
