using Portal.Infra.CloudFormation;
using Portal.Infra.Intake;

namespace Portal.Tests.Intake;

/// <summary>Reading CloudFormation's EventBridge events as the intake queue delivers them, and matching them to polled events.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class PushedStackEventTests
{
    private const string StackId = "arn:aws:cloudformation:us-west-1:111122223333:stack/teststack/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

    /// <summary>The documented example of a Resource Status Change (CloudFormation events detail reference), for this stack.</summary>
    public static string ResourceEvent(string status = "CREATE_COMPLETE", string time = "2017-12-22T18:43:48Z", string id = "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        string stackId = StackId, string token = "Console-CreateStack-7f59c3cf-00d2-40c7-b2ff-e75db0987002", string logicalId = "my-s3-bucket") => $$"""
        {
          "version": "0", "id": "{{id}}", "detail-type": "CloudFormation Resource Status Change", "source": "aws.cloudformation",
          "account": "111122223333", "time": "{{time}}", "region": "us-west-1", "resources": ["{{stackId}}"],
          "detail": {
            "stack-id": "{{stackId}}", "logical-resource-id": "{{logicalId}}", "physical-resource-id": "my-s3-bucket-1a2b3c",
            "status-details": { "status": "{{status}}", "status-reason": "" },
            "resource-type": "AWS::S3::Bucket", "client-request-token": "{{token}}"
          }
        }
        """;

    /// <summary>The documented example of a Stack Status Change.</summary>
    public static string StackStatusEvent(string status = "CREATE_COMPLETE", string time = "2017-12-22T18:43:48Z", string id = "6a7e8feb-b491-4cf7-a9f1-bf3703467719",
        string stackId = StackId, string token = "Console-CreateStack-7f59c3cf-00d2-40c7-b2ff-e75db0987002") => $$"""
        {
          "version": "0", "id": "{{id}}", "detail-type": "CloudFormation Stack Status Change", "source": "aws.cloudformation",
          "account": "111122223333", "time": "{{time}}", "region": "us-west-1", "resources": ["{{stackId}}"],
          "detail": { "stack-id": "{{stackId}}", "status-details": { "status": "{{status}}", "status-reason": "" }, "client-request-token": "{{token}}" }
        }
        """;

    [Fact]
    public void AResourceStatusChangeReadsAsTheStackEventDescribeStackEventsGives()
    {
        var e = PushedStackEvent.Read(ResourceEvent(), out var refusal);

        Assert.Null(refusal);
        Assert.Equal(new StackEvent
        {
            EventId = "eventbridge:6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            StackId = StackId,
            StackName = "teststack",
            LogicalResourceId = "my-s3-bucket",
            PhysicalResourceId = "my-s3-bucket-1a2b3c",
            ResourceType = "AWS::S3::Bucket",
            Timestamp = new DateTime(2017, 12, 22, 18, 43, 48, DateTimeKind.Utc),
            ResourceStatus = "CREATE_COMPLETE",
            ResourceStatusReason = null,
            ClientRequestToken = "Console-CreateStack-7f59c3cf-00d2-40c7-b2ff-e75db0987002",
        }, e);
        Assert.Equal(DateTimeKind.Utc, e!.Timestamp.Kind);
        Assert.False(e.IsStackEvent);
    }

    [Fact]
    public void AStackStatusChangeReadsAsTheStacksOwnLine()
    {
        var e = PushedStackEvent.Read(StackStatusEvent(), out _)!;

        Assert.True(e.IsStackEvent);
        Assert.Equal(("teststack", StackId, "CREATE_COMPLETE"), (e.LogicalResourceId, e.PhysicalResourceId, e.ResourceStatus));
        Assert.True(PushedStackEvent.IsPushed(e.EventId));
    }

    [Fact]
    public void AnEventsTimeIsWhenItWasSentToTheQueueWhenThatFallsInItsSecondOrJustAfter()
    {
        var second = new DateTime(2017, 12, 22, 18, 43, 48, DateTimeKind.Utc);
        DateTime At(DateTime? sentAt) => PushedStackEvent.Read(ResourceEvent(), out _, sentAt)!.Timestamp;

        Assert.Equal(second.AddMilliseconds(731), At(second.AddMilliseconds(731)));
        Assert.Equal(second.AddMilliseconds(1200), At(second.AddMilliseconds(1200)));
        // A queue that says nothing, or a time no EventBridge delivery of this event can have: the event's own second.
        Assert.Equal(second, At(null));
        Assert.Equal(second, At(second.AddMilliseconds(-1)));
        Assert.Equal(second, At(second + PushedStackEvent.Lag));
    }

    public static TheoryData<string, string> NotCloudFormationEvents => new()
    {
        { "not json", "not JSON" },
        { """{"source":"aws.ec2","detail-type":"EC2 Instance State-change Notification","detail":{}}""", "not a CloudFormation status change" },
        { """{"source":"aws.cloudformation","detail-type":"CloudFormation Drift Detection Status Change","detail":{}}""", "not a CloudFormation status change" },
        { """{"source":"aws.cloudformation","detail-type":"CloudFormation Stack Status Change","id":"x","time":"2017-12-22T18:43:48Z"}""", "no detail.status-details" },
        { ResourceEvent(stackId: "arn:aws:s3:::bucket"), "detail.stack-id (a stack ARN)" },
        { ResourceEvent(time: "yesterday"), "lacks its id, time" },
        { ResourceEvent(logicalId: new string('x', 5000)), "longer than" },
    };

    [Theory]
    [MemberData(nameof(NotCloudFormationEvents))]
    public void AMessageThatIsNoCloudFormationStatusChangeIsRefusedSayingWhy(string body, string why)
    {
        Assert.Null(PushedStackEvent.Read(body, out var refusal));
        Assert.Contains(why, refusal);
    }

    [Fact]
    public void APushedEventIsThePolledOneOfItsSecondOrStampedUpToTheLagAfter()
    {
        var polled = new StackEvent
        {
            EventId = "my-s3-bucket-CREATE_COMPLETE-2017-12-22T18:43:47.812Z",
            StackId = StackId,
            StackName = "teststack",
            LogicalResourceId = "my-s3-bucket",
            ResourceType = "AWS::S3::Bucket",
            ResourceStatus = "CREATE_COMPLETE",
            Timestamp = new DateTime(2017, 12, 22, 18, 43, 47, 812, DateTimeKind.Utc),
        };
        StackEvent Pushed(string time, string status = "CREATE_COMPLETE") => PushedStackEvent.Read(ResourceEvent(status, time), out _)!;

        Assert.True(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:47Z"), polled));
        Assert.True(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:49Z"), polled));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:46Z"), polled));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:50Z"), polled));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:47Z", "CREATE_IN_PROGRESS"), polled));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:47Z"), polled with { LogicalResourceId = "other" }));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:47Z"), polled with { StackId = StackId.Replace("teststack", "other") }));
        Assert.False(PushedStackEvent.SameEvent(Pushed("2017-12-22T18:43:47Z") with { ResourceStatusReason = "a" }, polled with { ResourceStatusReason = "b" }));
    }
}
