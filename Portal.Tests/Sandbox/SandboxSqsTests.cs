using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.Runtime;
using Amazon.SQS.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Sandbox;

/// <summary>
/// The sandbox's SQS endpoint as the official client (AWSSDK.SQS) and AWS's documented JSON requests meet it: queues
/// created by a stack, sending, receiving and long polling, deleting, visibility, redrive, and SQS's errors.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxSqsTests
{
    private static async Task<(SandboxTestHost Host, AmazonSQSClient Sqs, string QueueUrl, string DeadLetterQueueUrl)> StartAsync()
    {
        var host = await SandboxTestHost.StartAsync();
        var intake = await host.DeployAsync("intake", SandboxQueues.IntakeTemplate());
        Assert.Equal("CREATE_COMPLETE", intake.Status);
        return (host, SandboxQueues.Client(host.Server), intake.Outputs["QueueUrl"], intake.Outputs["DeadLetterQueueUrl"]);
    }

    [Fact]
    public async Task AQueueOfAStackSendsReceivesWithAttributesAndDeletesThroughTheSdk()
    {
        var (host, sqs, queueUrl, _) = await StartAsync();
        await using var _ = host;
        using var __ = sqs;
        Assert.Matches($"^{host.Server.SqsUrl}/123456789012/intake-Events-[A-Z0-9]{{12}}$", queueUrl);
        Assert.Equal(queueUrl, (await sqs.GetQueueUrlAsync(queueUrl[(queueUrl.LastIndexOf('/') + 1)..])).QueueUrl);

        var sent = await sqs.SendMessageAsync(queueUrl, "hello");
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 10,
            MessageSystemAttributeNames = ["All"],
        });
        var message = Assert.Single(received.Messages);
        Assert.Equal((sent.MessageId, "hello"), (message.MessageId, message.Body));
        Assert.Equal("1", message.Attributes["ApproximateReceiveCount"]);
        Assert.InRange(long.Parse(message.Attributes["SentTimestamp"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal("1", (await Attributes(sqs, queueUrl))["ApproximateNumberOfMessagesNotVisible"]);

        await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
        await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle); // a repeated delete succeeds, as SQS's does
        var attributes = await Attributes(sqs, queueUrl);
        Assert.Equal(("0", "0"), (attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]));

        var batch = new[] { await sqs.SendMessageAsync(queueUrl, "one"), await sqs.SendMessageAsync(queueUrl, "two") };
        var handles = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 })).Messages;
        Assert.Equal(batch.Select(b => b.MessageId), handles.Select(m => m.MessageId));
        var deleted = await sqs.DeleteMessageBatchAsync(queueUrl, [
            new DeleteMessageBatchRequestEntry("a", handles[0].ReceiptHandle), new DeleteMessageBatchRequestEntry("b", "not-a-handle"),
            new DeleteMessageBatchRequestEntry("c", handles[1].ReceiptHandle)]);
        Assert.Equal(["a", "c"], deleted.Successful.Select(s => s.Id));
        Assert.Equal(("b", "ReceiptHandleIsInvalid"), (Assert.Single(deleted.Failed).Id, deleted.Failed[0].Code));
    }

    [Fact]
    public async Task ALongPollAnswersAsSoonAsAMessageIsSent()
    {
        var (host, sqs, queueUrl, _) = await StartAsync();
        await using var _ = host;
        using var __ = sqs;
        var waited = Stopwatch.StartNew();
        var receive = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 20 });
        await UntilWaitingAsync(host); // nothing to receive: it waits

        await sqs.SendMessageAsync(queueUrl, "wake up");
        var received = await receive.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("wake up", Assert.Single(received.Messages).Body);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"the long poll took {waited.Elapsed}");
    }

    [Fact]
    public async Task ALongPollEndsWhenTheSandboxStops()
    {
        var (host, sqs, queueUrl, _) = await StartAsync();
        using var _ = sqs;
        var waited = Stopwatch.StartNew();
        var receive = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 20 });
        await UntilWaitingAsync(host);

        await host.DisposeAsync();
        var received = await receive.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Empty(received.Messages ?? []);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {waited.Elapsed}");
    }

    [Fact]
    public async Task AWebHostServesSqsBesideCloudFormationWithQueueUrlsOfItsAddressAndEndsLongPollsAsItStops()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sandbox:TimeScale"] = "0.001" });
        builder.Services.AddSandboxCloudFormation(builder.Configuration);
        await using var app = builder.Build();
        app.MapSandboxCloudFormation();
        await app.StartAsync();
        var root = new Uri(app.Urls.Single());
        using var api = new SandboxApi(new Uri(root, SandboxHosting.DefaultPattern));
        var changeSetId = await api.CreateChangeSetAsync("intake", "create", SandboxQueues.IntakeTemplate());
        await api.WaitForChangeSetAsync(changeSetId);
        var intake = new DescribedStack(await api.ExecuteAndWaitAsync(changeSetId, "intake"));
        var queueUrl = intake.Outputs["QueueUrl"];
        Assert.StartsWith($"{root.ToString().TrimEnd('/')}/sandbox/sqs/123456789012/intake-Events-", queueUrl);

        var options = new SandboxOptions();
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
            new AmazonSQSConfig { ServiceURL = new Uri(root, "/sandbox/sqs").ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        await sqs.SendMessageAsync(queueUrl, "through the portal's host");
        Assert.Equal("through the portal's host", Assert.Single((await sqs.ReceiveMessageAsync(queueUrl)).Messages).Body);

        var sandbox = app.Services.GetRequiredService<SandboxCloudFormation>();
        var waited = Stopwatch.StartNew();
        var receive = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 20 });
        await Poll.UntilAsync(() => Task.FromResult(sandbox.LongPollsWaiting == 1), "the long poll to wait", 30);
        await app.StopAsync();
        Assert.Empty((await receive.WaitAsync(TimeSpan.FromSeconds(15))).Messages ?? []);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {waited.Elapsed}");
    }

    [Fact]
    public async Task VisibilityHidesAReceivedMessageAndTheRedrivePolicyMovesItToTheDeadLetterQueue()
    {
        var (host, sqs, queueUrl, deadLetterQueueUrl) = await StartAsync();
        await using var _ = host;
        using var __ = sqs;
        var sent = await sqs.SendMessageAsync(queueUrl, "poison");
        ReceiveMessageRequest Receive(string url) => new() { QueueUrl = url, MessageSystemAttributeNames = ["ApproximateReceiveCount"] };

        var first = Assert.Single((await sqs.ReceiveMessageAsync(Receive(queueUrl))).Messages);
        Assert.Empty((await sqs.ReceiveMessageAsync(Receive(queueUrl))).Messages ?? []); // hidden for the queue's 30 s
        await sqs.ChangeMessageVisibilityAsync(queueUrl, first.ReceiptHandle, 0);
        await Assert.ThrowsAsync<MessageNotInflightException>(() => sqs.ChangeMessageVisibilityAsync(queueUrl, first.ReceiptHandle, 10));
        var second = Assert.Single((await sqs.ReceiveMessageAsync(Receive(queueUrl))).Messages);
        Assert.Equal((sent.MessageId, "2"), (second.MessageId, second.Attributes["ApproximateReceiveCount"]));
        await sqs.ChangeMessageVisibilityAsync(queueUrl, second.ReceiptHandle, 0);

        // Received maxReceiveCount (2) times: the next receive moves it to the dead-letter queue instead.
        Assert.Empty((await sqs.ReceiveMessageAsync(Receive(queueUrl))).Messages ?? []);
        var dead = Assert.Single((await sqs.ReceiveMessageAsync(Receive(deadLetterQueueUrl))).Messages);
        Assert.Equal((sent.MessageId, "poison", "1"), (dead.MessageId, dead.Body, dead.Attributes["ApproximateReceiveCount"]));

        var attributes = await Attributes(sqs, queueUrl);
        Assert.Equal("0", attributes["ApproximateNumberOfMessages"]);
        var deadLetterArn = (await Attributes(sqs, deadLetterQueueUrl))["QueueArn"];
        var redrive = JsonNode.Parse(attributes["RedrivePolicy"])!;
        Assert.Equal((deadLetterArn, 2), (redrive["deadLetterTargetArn"]!.ToString(), redrive["maxReceiveCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AFullQueueDropsItsOldestAndVisibilityAndRetentionRunOnTheSandboxsClockUnscaled()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SandboxTestHost.StartAsync(clock, o => o.MaxMessagesPerQueue = 3);
        var changeSetId = await host.PlanAsync(clock, "queues", "create", """
            { "Resources": { "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "VisibilityTimeout": 30, "MessageRetentionPeriod": 120 } } },
              "Outputs": { "QueueUrl": { "Value": { "Ref": "Queue" } } } }
            """, "CREATE");
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
        var queueUrl = new DescribedStack(await host.SettleAsync(clock, "queues")).Outputs["QueueUrl"];
        using var sqs = SandboxQueues.Client(host.Server);

        foreach (var body in new[] { "1", "2", "3", "4", "5" })
            await sqs.SendMessageAsync(queueUrl, body);
        var kept = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 })).Messages;
        Assert.Equal(["3", "4", "5"], kept.Select(m => m.Body));
        Assert.Equal(2, host.Server.CloudFormation.DroppedMessages);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty((await sqs.ReceiveMessageAsync(queueUrl)).Messages ?? []); // 30 s of visibility, at TimeScale 1 as at any other
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("3", Assert.Single((await sqs.ReceiveMessageAsync(queueUrl)).Messages).Body);

        clock.Advance(TimeSpan.FromSeconds(90)); // 120 s since they were sent: past their retention
        Assert.Empty((await sqs.ReceiveMessageAsync(queueUrl)).Messages ?? []);
        Assert.Equal("0", (await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessagesNotVisible"])).Attributes["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task ErrorsComeAsTheSdksExceptionTypes()
    {
        var (host, sqs, queueUrl, _) = await StartAsync();
        await using var _ = host;
        using var __ = sqs;
        var missing = queueUrl[..(queueUrl.LastIndexOf('/') + 1)] + "missing";
        var unknown = await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.GetQueueUrlAsync("missing"));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", unknown.ErrorCode);
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.ReceiveMessageAsync(missing));
        await Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => sqs.DeleteMessageAsync(queueUrl, "not-a-handle"));

        var invalid = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 11 }));
        Assert.Equal("InvalidParameterValue", invalid.ErrorCode);
        Assert.Contains("MaxNumberOfMessages", invalid.Message);
        var wait = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 21 }));
        Assert.Contains("WaitTimeSeconds", wait.Message);
        var attribute = await Assert.ThrowsAsync<InvalidAttributeNameException>(() => sqs.GetQueueAttributesAsync(queueUrl, ["Colour"]));
        Assert.Contains("Colour", attribute.Message);

        host.Server.CloudFormation.ThrottleRate = 1;
        var throttled = await Assert.ThrowsAsync<RequestThrottledException>(() => sqs.ReceiveMessageAsync(queueUrl));
        Assert.Equal("Rate exceeded", throttled.Message);
        Assert.Equal(1, host.Server.CloudFormation.ThrottledCount("ReceiveMessage"));
    }

    [Fact]
    public async Task TheApiReferencesJsonExamplesAreAnsweredInItsShape()
    {
        var (host, sqs, queueUrl, _) = await StartAsync();
        await using var _ = host;
        using var __ = sqs;
        using var api = new SandboxServicesApi(host.Server);
        // The SQS API Reference's request examples, their queue URL made the sandbox's.
        Task<JsonReply> Call(string action, string body) => api.JsonAsync(host.Server.SqsUrl, $"AmazonSQS.{action}",
            body.Replace("https://sqs.us-east-1.amazonaws.com/177715257436/MyTestQueue", queueUrl, StringComparison.Ordinal),
            "sqs", "application/x-amz-json-1.0");

        var sent = await Call("SendMessage", """
            {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyTestQueue",
                "MessageBody": "This is a test message"
            }
            """);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(["MD5OfMessageBody", "MessageId"], sent.Body.Select(kv => kv.Key));
        Assert.Equal("fafb00f5732ab283681e124bf8747ed1", sent.Body["MD5OfMessageBody"]!.ToString()); // the example's digest
        Assert.True(Guid.TryParse(sent.Body["MessageId"]!.ToString(), out var _));

        var received = await Call("ReceiveMessage", """
            {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyTestQueue",
                "AttributeNames": [
                    "All"
                ],
                "MessageAttributeNames": [
                    "All"
                ],
                "MaxNumberOfMessages": 5,
                "VisibilityTimeout": 15,
                "WaitTimeSeconds": 20
            }
            """);
        Assert.Equal(HttpStatusCode.OK, received.Status);
        var message = Assert.Single(received.Body["Messages"]!.AsArray())!.AsObject();
        Assert.Equal(["MessageId", "ReceiptHandle", "MD5OfBody", "Body", "Attributes"], message.Select(kv => kv.Key));
        Assert.Equal(("This is a test message", "fafb00f5732ab283681e124bf8747ed1"), (message["Body"]!.ToString(), message["MD5OfBody"]!.ToString()));
        Assert.Equal(["SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"],
            message["Attributes"]!.AsObject().Select(kv => kv.Key));
        Assert.All(message["Attributes"]!.AsObject(), kv => Assert.Equal(System.Text.Json.JsonValueKind.String, kv.Value!.GetValueKind()));

        var deleted = await Call("DeleteMessage", $$"""
            {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyTestQueue",
                "ReceiptHandle": "{{message["ReceiptHandle"]}}"
            }
            """);
        Assert.Equal((HttpStatusCode.OK, 0), (deleted.Status, deleted.Body.Count));

        // The queue URL as the reference's example has it: not this sandbox's account, so no such queue.
        var missing = await api.JsonAsync(host.Server.SqsUrl, "AmazonSQS.DeleteMessage",
            """{ "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyTestQueue", "ReceiptHandle": "x" }""", "sqs", "application/x-amz-json-1.0");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(("com.amazonaws.sqs#QueueDoesNotExist", "The specified queue does not exist."), (missing.Body["__type"]!.ToString(), missing.Body["message"]!.ToString()));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue;Sender", missing.QueryError);

        // Signed for another service: refused as SQS's JSON protocol refuses it, the Query code in the header.
        var forged = await api.JsonAsync(host.Server.SqsUrl, "AmazonSQS.GetQueueUrl", """{ "QueueName": "x" }""", "ecs", "application/x-amz-json-1.0");
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSignatureException", "SignatureDoesNotMatch;Sender"),
            (forged.Status, forged.Body["__type"]!.ToString(), forged.QueryError));

        // A client may post to the queue's own URL instead of the endpoint's.
        var atQueue = await api.JsonAsync(new Uri(queueUrl), "AmazonSQS.GetQueueAttributes",
            $$"""{ "QueueUrl": "{{queueUrl}}", "AttributeNames": ["QueueArn"] }""", "sqs", "application/x-amz-json-1.0");
        Assert.Equal(HttpStatusCode.OK, atQueue.Status);
        Assert.StartsWith("arn:aws:sqs:us-east-1:123456789012:intake-Events-", atQueue.Body["Attributes"]!["QueueArn"]!.ToString());
    }

    private static Task UntilWaitingAsync(SandboxTestHost host) =>
        Poll.UntilAsync(() => Task.FromResult(host.Server.CloudFormation.LongPollsWaiting == 1), "the long poll to wait", 30);

    private static async Task<Dictionary<string, string>> Attributes(AmazonSQSClient sqs, string queueUrl) =>
        (await sqs.GetQueueAttributesAsync(queueUrl, ["All"])).Attributes;
}
