using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>
/// What the push tests share: an intake stack like the portal's (a queue with a dead-letter queue, the queue policy that
/// lets EventBridge send to it, a rule routing CloudFormation's events of stacks named <c>env-…</c> to it), and the
/// official SQS client pointed at the sandbox.
/// </summary>
internal static class SandboxQueues
{
    public const string RulePattern = """
        { "source": ["aws.cloudformation"],
          "detail-type": ["CloudFormation Stack Status Change", "CloudFormation Resource Status Change"],
          "detail": { "stack-id": [{ "wildcard": "arn:aws:cloudformation:*:*:stack/env-*" }] } }
        """;

    /// <summary>The intake stack: <paramref name="withPolicy"/> false leaves the queue policy out.</summary>
    public static string IntakeTemplate(bool withPolicy = true, int maxReceiveCount = 2, string pattern = RulePattern)
    {
        var resources = new JsonObject
        {
            ["DeadLetters"] = Parse("""{ "Type": "AWS::SQS::Queue", "Properties": { "MessageRetentionPeriod": 1209600 } }"""),
            ["Events"] = Parse($$"""
                { "Type": "AWS::SQS::Queue", "Properties": {
                    "VisibilityTimeout": 30, "SqsManagedSseEnabled": true,
                    "RedrivePolicy": { "deadLetterTargetArn": { "Fn::GetAtt": ["DeadLetters", "Arn"] }, "maxReceiveCount": {{maxReceiveCount}} } } }
                """),
            ["StackEvents"] = Parse($$"""
                { "Type": "AWS::Events::Rule", "Properties": {
                    "EventPattern": {{pattern}}, "State": "ENABLED",
                    "Targets": [{ "Arn": { "Fn::GetAtt": ["Events", "Arn"] }, "Id": "Target0" }] } }
                """),
        };
        if (withPolicy)
            resources["EventsPolicy"] = Parse("""
                { "Type": "AWS::SQS::QueuePolicy", "Properties": {
                    "Queues": [{ "Ref": "Events" }],
                    "PolicyDocument": { "Version": "2012-10-17", "Statement": [{
                        "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                        "Condition": { "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": ["StackEvents", "Arn"] } } },
                        "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" },
                        "Resource": { "Fn::GetAtt": ["Events", "Arn"] } }] } } }
                """);
        return new JsonObject
        {
            ["Resources"] = resources,
            ["Outputs"] = Parse("""
                { "QueueUrl": { "Value": { "Ref": "Events" } }, "DeadLetterQueueUrl": { "Value": { "Ref": "DeadLetters" } },
                  "RuleArn": { "Value": { "Fn::GetAtt": ["StackEvents", "Arn"] } } }
                """),
        }.ToJsonString();
    }

    /// <summary>A stack of two resources, one depending on the other.</summary>
    public const string SmallTemplate = """
        { "Resources": {
            "Group": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "web" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 7, "Tags": [{ "Key": "group", "Value": { "Ref": "Group" } }] } } } }
        """;

    /// <summary>The official SQS client, signing with the sandbox's credentials, retrying nothing (so errors show as they come).</summary>
    public static AmazonSQSClient Client(SandboxServer server) =>
        new(new BasicAWSCredentials(server.CloudFormation.Options.AccessKeyId, server.CloudFormation.Options.SecretAccessKey),
            new AmazonSQSConfig { ServiceURL = server.SqsUrl.ToString(), AuthenticationRegion = server.CloudFormation.Options.Region, MaxErrorRetry = 0 });

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
