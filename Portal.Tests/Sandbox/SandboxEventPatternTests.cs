using System.Text.Json.Nodes;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox's EventBridge pattern matching, one operator at a time, and its reading of queue policies.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxEventPatternTests
{
    private static readonly JsonObject Event = JsonNode.Parse("""
        { "version": "0", "detail-type": "CloudFormation Stack Status Change", "source": "aws.cloudformation",
          "account": "123456789012", "region": "us-east-1", "resources": ["arn:aws:cloudformation:us-east-1:123456789012:stack/env-orders/1"],
          "detail": { "stack-id": "arn:aws:cloudformation:us-east-1:123456789012:stack/env-orders/1",
                      "status-details": { "status": "CREATE_COMPLETE", "status-reason": "" }, "client-request-token": "" } }
        """)!.AsObject();

    private static bool Matches(string pattern)
    {
        var parsed = JsonNode.Parse(pattern)!.AsObject();
        EventPattern.Validate(parsed);
        return EventPattern.Matches(parsed, Event);
    }

    [Theory]
    [InlineData("""{ "source": ["aws.cloudformation"] }""", true)]
    [InlineData("""{ "source": ["aws.s3", "aws.cloudformation"] }""", true)]
    [InlineData("""{ "source": ["aws.s3"] }""", false)]
    [InlineData("""{ "source": ["aws.cloudformation"], "detail-type": ["CloudFormation Resource Status Change"] }""", false)]
    public void ExactValuesMatchWhenTheEventHasOneOfThem(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "status-details": { "status": ["CREATE_COMPLETE"] } } }""", true)]
    [InlineData("""{ "detail": { "status-details": { "status": ["DELETE_COMPLETE"] } } }""", false)]
    [InlineData("""{ "detail": { "logical-resource-id": ["Queue"] } }""", false)]
    public void NestedObjectsMatchFieldByField(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "resources": ["arn:aws:cloudformation:us-east-1:123456789012:stack/env-orders/1"] }""", true)]
    [InlineData("""{ "resources": [{ "prefix": "arn:aws:cloudformation:us-east-1:123456789012:stack/env-" }] }""", true)]
    [InlineData("""{ "resources": ["arn:aws:cloudformation:us-east-1:123456789012:stack/other/1"] }""", false)]
    public void AnArrayInTheEventMatchesWhenAnyElementDoes(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "stack-id": [{ "prefix": "arn:aws:cloudformation:us-east-1:123456789012:stack/env-" }] } }""", true)]
    [InlineData("""{ "detail": { "stack-id": [{ "prefix": "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" }] } }""", false)]
    public void Prefix(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "suffix": "_COMPLETE" }] } } }""", true)]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "suffix": "_FAILED" }] } } }""", false)]
    public void Suffix(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "stack-id": [{ "wildcard": "arn:aws:cloudformation:*:*:stack/env-*" }] } }""", true)]
    [InlineData("""{ "detail": { "stack-id": [{ "wildcard": "*:stack/env-orders/*" }] } }""", true)]
    [InlineData("""{ "detail": { "stack-id": [{ "wildcard": "arn:aws:cloudformation:*:*:stack/app-*" }] } }""", false)]
    [InlineData("""{ "detail": { "stack-id": [{ "wildcard": "*:stack/env" }] } }""", false)]
    public void Wildcard(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "anything-but": "REVIEW_IN_PROGRESS" }] } } }""", true)]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "anything-but": ["CREATE_COMPLETE", "UPDATE_COMPLETE"] }] } } }""", false)]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "anything-but": { "prefix": "CREATE_" } }] } } }""", false)]
    public void AnythingBut(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "logical-resource-id": [{ "exists": false }] } }""", true)]
    [InlineData("""{ "detail": { "logical-resource-id": [{ "exists": true }] } }""", false)]
    [InlineData("""{ "detail": { "client-request-token": [{ "exists": true }] } }""", true)]
    public void Exists(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "source": [{ "equals-ignore-case": "AWS.CloudFormation" }] }""", true)]
    [InlineData("""{ "source": [{ "equals-ignore-case": "aws.s3" }] }""", false)]
    public void EqualsIgnoreCase(string pattern, bool expected) => Assert.Equal(expected, Matches(pattern));

    [Theory]
    [InlineData("""{ "detail": { "status-details": { "status": [{ "numeric": [">", 0] }] } } }""", "EventPattern.detail.status-details.status")]
    [InlineData("""{ "source": "aws.cloudformation" }""", "EventPattern.source")]
    public void APatternTheSandboxCannotMatchIsRefusedNamingWhere(string pattern, string where)
    {
        var refused = Assert.ThrowsAny<Exception>(() => EventPattern.Validate(JsonNode.Parse(pattern)!.AsObject()));
        Assert.Contains(where, refused.Message);
    }

    private const string QueueArn = "arn:aws:sqs:us-east-1:123456789012:intake-Events-ABC";
    private const string RuleArn = "arn:aws:events:us-east-1:123456789012:rule/intake-StackEvents-XYZ";

    [Theory]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Resource": "QUEUE" }""", true)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": ["events.amazonaws.com"] }, "Action": ["sqs:*"] }""", true)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Resource": "QUEUE", "Condition": { "ArnEquals": { "aws:SourceArn": "RULE" } } }""", true)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Condition": { "ArnEquals": { "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/other" } } }""", false)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Condition": { "ArnLike": { "aws:SourceArn": "arn:aws:events:*:123456789012:rule/intake-*" } } }""", true)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" }, "Action": "sqs:SendMessage" }""", false)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:ReceiveMessage" }""", false)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:other" }""", false)]
    [InlineData("""{ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage", "Condition": { "StringEquals": { "aws:SourceAccount": "123456789012" } } }""", false)]
    public void AQueuePolicyLetsEventBridgeSendOnlyAsItSays(string statement, bool allowed)
    {
        var document = JsonNode.Parse($$"""{ "Version": "2012-10-17", "Statement": [{{statement.Replace("QUEUE", QueueArn).Replace("RULE", RuleArn)}}] }""");
        Assert.Equal(allowed, QueuePolicies.AllowsEventBridge(document, QueueArn, RuleArn));
    }

    [Fact]
    public void ADenyOverridesAnAllow()
    {
        var document = JsonNode.Parse($$"""
            { "Statement": [
                { "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage" },
                { "Effect": "Deny", "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:*", "Resource": "{{QueueArn}}" } ] }
            """);
        Assert.False(QueuePolicies.AllowsEventBridge(document, QueueArn, RuleArn));
    }
}
