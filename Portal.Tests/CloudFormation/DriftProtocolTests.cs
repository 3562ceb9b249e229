using Portal.Infra.CloudFormation;

namespace Portal.Tests.CloudFormation;

/// <summary>
/// The drift operations against the API Reference's documented examples (API_DetectStackDrift,
/// API_DescribeStackDriftDetectionStatus, API_DescribeStackResourceDrifts: the stack
/// <c>my-stack-with-resource-drift</c> whose SQS queue's DelaySeconds and maxReceiveCount were changed).
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class DriftProtocolTests
{
    private const string StackId = "arn:aws:cloudformation:us-east-1:012345678910:stack/my-stack-with-resource-drift/489e5570-df85-11e7-a7d9-503acac5c0fd";
    private const string DetectionId = "2f2b2d60-df86-11e7-bea1-500c2866f062";

    // ?Action=DetectStackDrift&StackName=my-stack-with-resource-drift&Version=2010-05-15
    private const string DetectStackDriftXml = """
        <DetectStackDriftResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DetectStackDriftResult>
            <StackDriftDetectionId>2f2b2d60-df86-11e7-bea1-500c2866f062</StackDriftDetectionId>
          </DetectStackDriftResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DetectStackDriftResponse>
        """;

    // ?Action=DescribeStackDriftDetectionStatus&StackDriftDetectionId=2f2b2d60-df86-11e7-bea1-500c2866f062&Version=2010-05-15
    private const string DescribeStackDriftDetectionStatusXml = """
        <DescribeStackDriftDetectionStatusResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStackDriftDetectionStatusResult>
            <StackId>arn:aws:cloudformation:us-east-1:012345678910:stack/my-stack-with-resource-drift/489e5570-df85-11e7-a7d9-503acac5c0fd</StackId>
            <StackDriftDetectionId>2f2b2d60-df86-11e7-bea1-500c2866f062</StackDriftDetectionId>
            <StackDriftStatus>DRIFTED</StackDriftStatus>
            <DetectionStatus>DETECTION_COMPLETE</DetectionStatus>
            <DriftedStackResourceCount>1</DriftedStackResourceCount>
            <Timestamp>2018-03-26T17:23:22.279Z</Timestamp>
          </DescribeStackDriftDetectionStatusResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeStackDriftDetectionStatusResponse>
        """;

    // ?Action=DescribeStackResourceDrifts&StackName=my-stack-with-resource-drift
    //  &StackResourceDriftStatusFilters.member.1=MODIFIED&StackResourceDriftStatusFilters.member.2=DELETED&Version=2010-05-15
    private const string DescribeStackResourceDriftsXml = """
        <DescribeStackResourceDriftsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStackResourceDriftsResult>
            <StackResourceDrifts>
              <member>
                <PropertyDifferences>
                  <member>
                    <ActualValue>120</ActualValue>
                    <ExpectedValue>20</ExpectedValue>
                    <DifferenceType>NOT_EQUAL</DifferenceType>
                    <PropertyPath>/DelaySeconds</PropertyPath>
                  </member>
                  <member>
                    <ActualValue>12</ActualValue>
                    <ExpectedValue>10</ExpectedValue>
                    <DifferenceType>NOT_EQUAL</DifferenceType>
                    <PropertyPath>/RedrivePolicy/maxReceiveCount</PropertyPath>
                  </member>
                </PropertyDifferences>
                <PhysicalResourceId>https://sqs.us-east-1.amazonaws.com/012345678910/my-stack-with-resource-drift-Queue-494PBHCO76H4</PhysicalResourceId>
                <ExpectedProperties>{"ReceiveMessageWaitTimeSeconds":0,"DelaySeconds":20,"RedrivePolicy":{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:012345678910:my-stack-with-resource-drift-DLQ-1BCY7HHD5QIM3","maxReceiveCount":10},"MessageRetentionPeriod":345600,"MaximumMessageSize":262144,"VisibilityTimeout":60,"QueueName":"my-stack-with-resource-drift-Queue-494PBHCO76H4"}</ExpectedProperties>
                <StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus>
                <StackId>arn:aws:cloudformation:us-east-1:012345678910:stack/my-stack-with-resource-drift/489e5570-df85-11e7-a7d9-503acac5c0fd</StackId>
                <LogicalResourceId>Queue</LogicalResourceId>
                <ActualProperties>{"ReceiveMessageWaitTimeSeconds":0,"DelaySeconds":120,"RedrivePolicy":{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:012345678910:my-stack-with-resource-drift-DLQ-1BCY7HHD5QIM3","maxReceiveCount":12},"MessageRetentionPeriod":345600,"MaximumMessageSize":262144,"VisibilityTimeout":60,"QueueName":"my-stack-with-resource-drift-Queue-494PBHCO76H4"}</ActualProperties>
                <Timestamp>2018-03-26T17:23:34.489Z</Timestamp>
                <ResourceType>AWS::SQS::Queue</ResourceType>
              </member>
            </StackResourceDrifts>
          </DescribeStackResourceDriftsResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeStackResourceDriftsResponse>
        """;

    private static Dictionary<string, string> Form(string action, params (string Key, string Value)[] fields) =>
        new[] { ("Action", action), ("Version", "2010-05-15") }.Concat(fields).ToDictionary(f => f.Item1, f => f.Item2);

    [Fact]
    public async Task DetectStackDriftSendsTheStackAndItsLogicalIdsAndReadsTheDetectionId()
    {
        var http = new ScriptedHttp().Reply(DetectStackDriftXml);
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DetectStackDriftAsync(new DetectStackDriftRequest
        {
            StackName = "my-stack-with-resource-drift",
            LogicalResourceIds = ["Queue", "DLQ"],
        });

        Assert.Equal(Form("DetectStackDrift", ("StackName", "my-stack-with-resource-drift"),
            ("LogicalResourceIds.member.1", "Queue"), ("LogicalResourceIds.member.2", "DLQ")), http.Sent.Single().Form);
        Assert.Equal(DetectionId, response.StackDriftDetectionId);
        Assert.Equal(DocumentedExamples.RequestId, response.RequestId);
    }

    [Fact]
    public async Task DescribeStackDriftDetectionStatusReadsEveryFieldOfTheDocumentedExample()
    {
        var http = new ScriptedHttp().Reply(DescribeStackDriftDetectionStatusXml);
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = DetectionId });

        Assert.Equal(Form("DescribeStackDriftDetectionStatus", ("StackDriftDetectionId", DetectionId)), http.Sent.Single().Form);
        Assert.Equal(StackId, response.StackId);
        Assert.Equal(DetectionId, response.StackDriftDetectionId);
        Assert.Equal(StackDriftStatus.Drifted, response.StackDriftStatus);
        Assert.Equal(StackDriftDetectionStatus.Complete, response.DetectionStatus);
        Assert.True(response.IsFinished);
        Assert.Null(response.DetectionStatusReason);
        Assert.Equal(1, response.DriftedStackResourceCount);
        Assert.Equal(new DateTime(2018, 3, 26, 17, 23, 22, 279, DateTimeKind.Utc), response.Timestamp);
    }

    [Fact]
    public async Task DescribeStackDriftDetectionStatusInProgressHasNoDriftStatusOrCount()
    {
        var http = new ScriptedHttp().Reply(DescribeStackDriftDetectionStatusXml
            .Replace("<StackDriftStatus>DRIFTED</StackDriftStatus>", "")
            .Replace("<DriftedStackResourceCount>1</DriftedStackResourceCount>", "")
            .Replace("DETECTION_COMPLETE", "DETECTION_IN_PROGRESS"));
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = DetectionId });

        Assert.False(response.IsFinished);
        Assert.Null(response.StackDriftStatus);
        Assert.Null(response.DriftedStackResourceCount);
    }

    [Fact]
    public async Task DescribeStackResourceDriftsSendsTheFiltersAndReadsEachPropertyDifference()
    {
        var http = new ScriptedHttp().Reply(DescribeStackResourceDriftsXml);
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest
        {
            StackName = "my-stack-with-resource-drift",
            StackResourceDriftStatusFilters = [StackResourceDriftStatus.Modified, StackResourceDriftStatus.Deleted],
        });

        Assert.Equal(Form("DescribeStackResourceDrifts", ("StackName", "my-stack-with-resource-drift"),
            ("StackResourceDriftStatusFilters.member.1", "MODIFIED"), ("StackResourceDriftStatusFilters.member.2", "DELETED")),
            http.Sent.Single().Form);
        Assert.Null(response.NextToken);
        var drift = Assert.Single(response.StackResourceDrifts);
        Assert.Equal(StackId, drift.StackId);
        Assert.Equal("Queue", drift.LogicalResourceId);
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/012345678910/my-stack-with-resource-drift-Queue-494PBHCO76H4", drift.PhysicalResourceId);
        Assert.Equal("AWS::SQS::Queue", drift.ResourceType);
        Assert.Equal(StackResourceDriftStatus.Modified, drift.StackResourceDriftStatus);
        Assert.Equal(new DateTime(2018, 3, 26, 17, 23, 34, 489, DateTimeKind.Utc), drift.Timestamp);
        Assert.Contains("\"DelaySeconds\":20", drift.ExpectedProperties);
        Assert.Contains("\"DelaySeconds\":120", drift.ActualProperties);
        Assert.Equal(
            [new PropertyDifference { PropertyPath = "/DelaySeconds", ExpectedValue = "20", ActualValue = "120", DifferenceType = DifferenceType.NotEqual },
             new PropertyDifference { PropertyPath = "/RedrivePolicy/maxReceiveCount", ExpectedValue = "10", ActualValue = "12", DifferenceType = DifferenceType.NotEqual }],
            drift.PropertyDifferences);
    }

    [Fact]
    public async Task DescribeStackResourceDriftsPagesWithNextTokenAndMaxResults()
    {
        var http = new ScriptedHttp().Reply(DescribeStackResourceDriftsXml.Replace("</StackResourceDrifts>", "</StackResourceDrifts><NextToken>page-2</NextToken>"));
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest
        {
            StackName = "my-stack-with-resource-drift",
            NextToken = "page-1",
            MaxResults = 1,
        });

        Assert.Equal(Form("DescribeStackResourceDrifts", ("StackName", "my-stack-with-resource-drift"), ("NextToken", "page-1"), ("MaxResults", "1")),
            http.Sent.Single().Form);
        Assert.Equal("page-2", response.NextToken);
    }

    [Fact]
    public async Task DriftCallsAreRetriedWhenThrottled()
    {
        const string throttled = """
            <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>throttled-1</RequestId>
            </ErrorResponse>
            """;
        var http = new ScriptedHttp().Reply(throttled, System.Net.HttpStatusCode.BadRequest).Reply(DetectStackDriftXml);
        using var client = QueryProtocolTests.Client(http);

        var response = await client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = "my-stack-with-resource-drift" });

        Assert.Equal(2, http.Sent.Count);
        Assert.Equal(DetectionId, response.StackDriftDetectionId);
    }

    [Fact]
    public async Task AMissingStackNameOrAnOutOfRangePageSizeIsRefusedNamingTheField()
    {
        using var client = QueryProtocolTests.Client(new ScriptedHttp());

        var noStack = await Assert.ThrowsAsync<ArgumentException>(() => client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = " " }));
        var pageSize = await Assert.ThrowsAsync<ArgumentException>(() => client.DescribeStackResourceDriftsAsync(
            new DescribeStackResourceDriftsRequest { StackName = "s", MaxResults = 500 }));

        Assert.Contains("DetectStackDriftRequest.StackName", noStack.Message);
        Assert.Contains("MaxResults", pageSize.Message);
    }
}
