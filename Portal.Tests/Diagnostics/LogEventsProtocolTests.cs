using Portal.Infra.CloudWatchLogs;
using Portal.Tests.CloudFormation;
using static Portal.Tests.Diagnostics.DiagnosticsExamples;

namespace Portal.Tests.Diagnostics;

/// <summary>GetLogEvents against the reference's example: the JSON 1.1 request as sent, every event read.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class LogEventsProtocolTests
{
    [Fact]
    public async Task GetLogEventsAsksForTheNewestFiftyLinesSignedForLogsAndReadsTheExample()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(GetLogEventsJson));
        using var logs = DiagnosticsWire.Logs(wire);

        var response = await logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "my-logs", LogStreamName = "20150601" });

        var sent = Assert.Single(wire.Sent);
        Assert.Equal(new Uri("https://logs.us-east-1.amazonaws.com/"), sent.Uri);
        Assert.Equal("Logs_20140328.GetLogEvents", sent.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", sent.Headers["Content-Type"]);
        Assert.Equal("logs", WireRecorder.Scope(sent).Groups["service"].Value);
        Assert.Equal("""{"logGroupName":"my-logs","logStreamName":"20150601","limit":50,"startFromHead":false}""", wire.Bodies[0]);

        Assert.Equal(RequestId, response.RequestId);
        Assert.Equal("f/31961209122447488583055879464742346735121166569214640130", response.NextForwardToken);
        Assert.Equal("b/31961209122358285602261756944988674324553373268216709120", response.NextBackwardToken);
        Assert.Equal(["Example Event 1", "Example Event 1", "Example Event 2"], response.Events.Select(e => e.Message));
        Assert.Equal(new DateTime(2015, 6, 1, 20, 23, 4, 356, DateTimeKind.Utc), response.Events[0].Timestamp);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1433190184358), response.Events[2].Timestamp);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1433190516679), response.Events[1].IngestionTime);
    }

    [Fact]
    public async Task AGroupByIdentifierATimeWindowAndAPageTokenAreSentAsTheApiNamesThem()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson("""{"events":[],"nextForwardToken":"f/1","nextBackwardToken":"b/1"}"""));
        using var logs = DiagnosticsWire.Logs(wire);

        var response = await logs.GetLogEventsAsync(new GetLogEventsRequest
        {
            LogGroupIdentifier = "arn:aws:logs:eu-west-1:123456789012:log-group:portal-orders-dev-BackendLogs1A2B",
            LogStreamName = "backend-service/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            StartTime = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc),
            EndTime = new DateTime(2026, 12, 7, 9, 30, 0, 500, DateTimeKind.Utc),
            NextToken = "b/0",
            Limit = 20,
            StartFromHead = true,
        });

        var body = wire.LastJson;
        Assert.Equal("arn:aws:logs:eu-west-1:123456789012:log-group:portal-orders-dev-BackendLogs1A2B", body.GetProperty("logGroupIdentifier").GetString());
        Assert.False(body.TryGetProperty("logGroupName", out _));
        Assert.Equal("backend-service/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0", body.GetProperty("logStreamName").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), body.GetProperty("startTime").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 30, 0, 500, TimeSpan.Zero).ToUnixTimeMilliseconds(), body.GetProperty("endTime").GetInt64());
        Assert.Equal(("b/0", 20, true), (body.GetProperty("nextToken").GetString(), body.GetProperty("limit").GetInt32(), body.GetProperty("startFromHead").GetBoolean()));
        Assert.Empty(response.Events);
    }

    public static TheoryData<string, GetLogEventsRequest> OutOfBounds => new()
    {
        { "LogGroupName or LogGroupIdentifier", new GetLogEventsRequest { LogStreamName = "s" } },
        { "LogGroupName or LogGroupIdentifier", new GetLogEventsRequest { LogGroupName = "g", LogGroupIdentifier = "g", LogStreamName = "s" } },
        { "GetLogEventsRequest.LogStreamName", new GetLogEventsRequest { LogGroupName = "g", LogStreamName = " " } },
        { "GetLogEventsRequest.Limit", new GetLogEventsRequest { LogGroupName = "g", LogStreamName = "s", Limit = 0 } },
        { "GetLogEventsRequest.Limit", new GetLogEventsRequest { LogGroupName = "g", LogStreamName = "s", Limit = 10_001 } },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task ARequestTheApiWouldRefuseIsRefusedBeforeItIsSent(string field, GetLogEventsRequest request)
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(GetLogEventsJson));
        using var logs = DiagnosticsWire.Logs(wire);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => logs.GetLogEventsAsync(request));

        Assert.Contains(field, error.Message);
        Assert.Empty(wire.Sent);
    }
}
