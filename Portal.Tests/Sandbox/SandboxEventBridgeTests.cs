using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Portal.Tests.Sandbox;

/// <summary>
/// CloudFormation's events pushed through EventBridge to SQS, as the portal's intake stack receives them: a rule on the
/// default bus matches each stack event and sends it, as EventBridge shapes it, to a queue whose policy allows it.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxEventBridgeTests : IDisposable
{
    private readonly string _folder = TempFolder.New("sandbox-push");

    public void Dispose() => TempFolder.Delete(_folder);

    [Fact]
    public async Task DeployingAnotherStackSendsEachOfItsEventsToTheQueueAsEventBridgeDoes()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var sqs = SandboxQueues.Client(host.Server);
        var queueUrl = (await host.DeployAsync("intake", SandboxQueues.IntakeTemplate())).Outputs["QueueUrl"];
        var other = await host.DeployAsync("other-app", SandboxQueues.SmallTemplate); // its name is not env-…: not routed

        var changeSetId = await host.Api.CreateChangeSetAsync("env-orders", "create", SandboxQueues.SmallTemplate);
        await host.Api.WaitForChangeSetAsync(changeSetId);
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId), ("ClientRequestToken", "portal-deploy-1"));
        var stack = new DescribedStack(await host.Api.WaitForStackAsync("env-orders"));
        var events = await host.Api.AllEventsAsync("env-orders");

        var messages = await ReceiveAsync(sqs, queueUrl, events.Count);
        Assert.All(messages, m => Assert.Equal(stack.Id, m["detail"]!["stack-id"]!.ToString()));
        Assert.DoesNotContain(messages, m => m["resources"]![0]!.ToString() == other.Id);
        // One message per stack event, in order, each telling what the event tells.
        Assert.Equal(events.Select(e => (e.LogicalResourceId, e.ResourceStatus)).Reverse(),
            messages.Select(m => (m["detail"]!["logical-resource-id"]?.ToString() ?? "env-orders", m["detail"]!["status-details"]!["status"]!.ToString())));

        var created = events.Single(e => e.LogicalResourceId == "Group" && e.ResourceStatus == "CREATE_COMPLETE");
        var resourceMessage = messages.Single(m => m["detail"]!["logical-resource-id"]?.ToString() == "Group" &&
            m["detail"]!["status-details"]!["status"]!.ToString() == "CREATE_COMPLETE");
        Assert.Equal(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"], resourceMessage.Select(kv => kv.Key));
        Assert.True(Guid.TryParse(resourceMessage["id"]!.ToString(), out _));
        Assert.Equal(new JsonObject
        {
            ["version"] = "0",
            ["id"] = resourceMessage["id"]!.ToString(),
            ["detail-type"] = "CloudFormation Resource Status Change",
            ["source"] = "aws.cloudformation",
            ["account"] = "123456789012",
            ["time"] = created.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(stack.Id),
            ["detail"] = new JsonObject
            {
                ["stack-id"] = stack.Id,
                ["logical-resource-id"] = "Group",
                ["physical-resource-id"] = created.PhysicalResourceId,
                ["status-details"] = new JsonObject { ["status"] = "CREATE_COMPLETE", ["status-reason"] = "" },
                ["resource-type"] = "AWS::EC2::SecurityGroup",
                ["client-request-token"] = "portal-deploy-1",
            },
        }.ToJsonString(), resourceMessage.ToJsonString());

        var stackMessage = messages.Last();
        Assert.Equal("CloudFormation Stack Status Change", stackMessage["detail-type"]!.ToString());
        Assert.Equal(new JsonObject
        {
            ["stack-id"] = stack.Id,
            ["status-details"] = new JsonObject { ["status"] = "CREATE_COMPLETE", ["status-reason"] = "" },
            ["client-request-token"] = "portal-deploy-1",
        }.ToJsonString(), stackMessage["detail"]!.ToJsonString());
        // The change set's REVIEW_IN_PROGRESS came before any token: "User Initiated", no token.
        Assert.Equal(("REVIEW_IN_PROGRESS", "User Initiated", ""), (messages[0]["detail"]!["status-details"]!["status"]!.ToString(),
            messages[0]["detail"]!["status-details"]!["status-reason"]!.ToString(), messages[0]["detail"]!["client-request-token"]!.ToString()));
    }

    [Fact]
    public async Task WithoutAQueuePolicyAllowingEventBridgeNothingIsDelivered()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var sqs = SandboxQueues.Client(host.Server);
        var queueUrl = (await host.DeployAsync("intake", SandboxQueues.IntakeTemplate(withPolicy: false))).Outputs["QueueUrl"];

        await host.DeployAsync("env-orders", SandboxQueues.SmallTemplate);
        var events = await host.Api.AllEventsAsync("env-orders");

        Assert.Equal("0", (await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages"])).Attributes["ApproximateNumberOfMessages"]);
        Assert.Equal(events.Count, host.Server.CloudFormation.UndeliveredEvents);
    }

    [Fact]
    public async Task ChangingTheRulesPatternChangesWhatIsDeliveredAndDeletingTheStackDeletesTheQueue()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var sqs = SandboxQueues.Client(host.Server);
        var intake = await host.DeployAsync("intake", SandboxQueues.IntakeTemplate());
        var queueUrl = intake.Outputs["QueueUrl"];
        var stackOnly = SandboxQueues.IntakeTemplate(pattern: """
            { "source": ["aws.cloudformation"], "detail-type": ["CloudFormation Stack Status Change"],
              "detail": { "stack-id": [{ "prefix": "arn:aws:cloudformation:us-east-1:123456789012:stack/env-" }],
                          "status-details": { "status": [{ "anything-but": ["REVIEW_IN_PROGRESS"] }] } } }
            """);
        var update = await host.Api.CreateChangeSetAsync("intake", "stack-only", stackOnly, "UPDATE");
        await host.Api.WaitForChangeSetAsync(update);
        Assert.Equal("UPDATE_COMPLETE", SandboxApi.Status(await host.Api.ExecuteAndWaitAsync(update, "intake")));

        await host.DeployAsync("env-orders", SandboxQueues.SmallTemplate);
        var messages = await ReceiveAsync(sqs, queueUrl, 2);
        Assert.Equal(["CREATE_IN_PROGRESS", "CREATE_COMPLETE"], messages.Select(m => m["detail"]!["status-details"]!["status"]!.ToString()));

        await host.Api.CallAsync("DeleteStack", ("StackName", "intake"));
        Assert.Equal("DELETE_COMPLETE", SandboxApi.Status(await host.Api.WaitForStackAsync(intake.Id)));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.ReceiveMessageAsync(queueUrl));
    }

    [Fact]
    public async Task MessagesNotYetReceivedOutliveARestartOfTheSandbox()
    {
        string queueUrl;
        int count;
        await using (var before = await SandboxTestHost.StartAsync(o => o.DataFolder = _folder))
        {
            queueUrl = (await before.DeployAsync("intake", SandboxQueues.IntakeTemplate())).Outputs["QueueUrl"];
            await before.DeployAsync("env-orders", SandboxQueues.SmallTemplate);
            count = (await before.Api.AllEventsAsync("env-orders")).Count;
        }

        await using var after = await SandboxTestHost.StartAsync(o => o.DataFolder = _folder);
        using var sqs = SandboxQueues.Client(after.Server);
        // The URL the stack gave names the queue still, though the restarted sandbox listens on another port.
        var messages = await ReceiveAsync(sqs, queueUrl, count);
        Assert.Equal("CREATE_COMPLETE", messages[^1]["detail"]!["status-details"]!["status"]!.ToString());
    }

    /// <summary>Receives (and deletes) until <paramref name="count"/> messages came, each parsed; then checks no more is waiting.</summary>
    private static async Task<List<JsonObject>> ReceiveAsync(AmazonSQSClient sqs, string queueUrl, int count)
    {
        var messages = new List<JsonObject>();
        await Poll.UntilAsync(async () =>
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            foreach (var message in received.Messages ?? [])
            {
                messages.Add(JsonNode.Parse(message.Body)!.AsObject());
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
            return messages.Count >= count;
        }, $"{count} messages", 30);
        Assert.Equal(count, messages.Count);
        Assert.Empty((await sqs.ReceiveMessageAsync(queueUrl)).Messages ?? []);
        return messages;
    }
}
