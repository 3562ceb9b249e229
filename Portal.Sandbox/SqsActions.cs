using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The SQS actions the sandbox answers (AWS JSON 1.0, target <c>AmazonSQS</c>, as AWSSDK.SQS 4 speaks it), on the
/// account's queues. Clients post to the endpoint itself or to a queue's URL (<c>…/sqs/&lt;account&gt;/&lt;name&gt;</c>);
/// the queue is the request's <c>QueueUrl</c> either way, its host not compared (a restarted sandbox listens elsewhere).
/// </summary>
internal static class SqsActions
{
    public const string TargetPrefix = "AmazonSQS";

    /// <summary>SQS's error types, by the shape names its JSON protocol answers, with their Query codes.</summary>
    public static readonly JsonProtocol Protocol = new("application/x-amz-json-1.0", "InvalidParameterValue", "com.amazonaws.sqs",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [QueueDoesNotExist] = "AWS.SimpleQueueService.NonExistentQueue",
            ["MessageNotInflight"] = "AWS.SimpleQueueService.MessageNotInflight",
            ["EmptyBatchRequest"] = "AWS.SimpleQueueService.EmptyBatchRequest",
            ["TooManyEntriesInBatchRequest"] = "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            ["BatchEntryIdsNotDistinct"] = "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
            ["InvalidBatchEntryId"] = "AWS.SimpleQueueService.InvalidBatchEntryId",
            ["UnsupportedOperation"] = "AWS.SimpleQueueService.UnsupportedOperation",
        });

    private const string QueueDoesNotExist = "QueueDoesNotExist";

    // SQS's limits: 10 messages a receive or batch, a 20 s long poll, 12 hours of visibility, URLs and receipt handles of
    // a few hundred characters (bounded here at 2,048), batch ids of 80. Bodies: 256 KiB, SQS's limit before it allowed
    // 1 MiB; the sandbox's queues carry CloudFormation's events, each well under 2 KiB.
    private const int MaxMessages = 10, MaxWait = 20, MaxVisibility = 43_200, MaxDelay = 900, MaxUrl = 2048, MaxHandle = 2048,
        MaxBatchId = 80, MaxBody = 256 * 1024, MaxName = 80, MaxAttributeNames = 32;

    /// <summary>How often a long poll looks again when nothing was sent (a message whose visibility ran out).</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(200);

    private static readonly HashSet<string> MessageAttributes =
        ["All", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SentTimestamp", "SenderId", "AWSTraceHeader",
         "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "DeadLetterQueueSourceArn"];

    private static readonly HashSet<string> QueueAttributes =
        ["All", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "QueueArn",
         "RedrivePolicy", "VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds",
         "SqsManagedSseEnabled"];

    public static readonly IReadOnlyDictionary<string, JsonAction> Handlers = new Dictionary<string, JsonAction>(StringComparer.Ordinal)
    {
        ["ReceiveMessage"] = ReceiveMessageAsync,
        ["SendMessage"] = JsonServiceEndpoint.Locked(SendMessage),
        ["DeleteMessage"] = JsonServiceEndpoint.Locked(DeleteMessage),
        ["DeleteMessageBatch"] = JsonServiceEndpoint.Locked(DeleteMessageBatch),
        ["ChangeMessageVisibility"] = JsonServiceEndpoint.Locked(ChangeMessageVisibility),
        ["GetQueueUrl"] = JsonServiceEndpoint.Locked(GetQueueUrl),
        ["GetQueueAttributes"] = JsonServiceEndpoint.Locked(GetQueueAttributes),
    };

    /// <summary>
    /// Receives at once, or waits up to <c>WaitTimeSeconds</c> (real seconds: the client's wait, not simulated time) and
    /// answers as soon as a message arrives; a long poll ends, empty, when the host stops.
    /// </summary>
    private static async Task<JsonObject> ReceiveMessageAsync(CloudFormationSimulator simulator, JsonRequest request, CancellationToken cancellationToken)
    {
        var max = (int)(request.Number("MaxNumberOfMessages", 1, MaxMessages) ?? 1);
        var wait = TimeSpan.FromSeconds(request.Number("WaitTimeSeconds", 0, MaxWait) ?? 0);
        var visibility = (int?)request.Number("VisibilityTimeout", 0, MaxVisibility);
        var attributes = AttributeNames(request, ["MessageSystemAttributeNames", "AttributeNames"], MessageAttributes);
        request.Strings("MessageAttributeNames", MaxAttributeNames, 256); // checked; the sandbox's messages carry none
        var started = Stopwatch.GetTimestamp();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, simulator.LongPollsEnded);
        while (true)
        {
            Task arrival;
            lock (simulator.Gate)
            {
                var queue = Queue(simulator, request);
                var taken = simulator.Receive(queue, max, visibility ?? queue.VisibilityTimeoutSeconds);
                if (taken.Count > 0 || Stopwatch.GetElapsedTime(started) >= wait)
                    return Received(simulator, taken, attributes);
                arrival = queue.Waiter();
            }
            var left = wait - Stopwatch.GetElapsedTime(started);
            using var waiting = simulator.LongPollWaiting();
            try
            {
                await arrival.WaitAsync(left < Recheck ? left : Recheck, ended.Token);
            }
            catch (TimeoutException)
            {
                // look again
            }
            catch (OperationCanceledException) when (simulator.LongPollsEnded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return [];
            }
        }
    }

    private static JsonObject Received(CloudFormationSimulator simulator, List<QueuedMessage> messages, IReadOnlySet<string> attributes)
    {
        if (messages.Count == 0)
            return []; // SQS leaves Messages out when there are none
        static string Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        bool Wanted(string name) => attributes.Contains("All") || attributes.Contains(name);
        return new JsonObject
        {
            ["Messages"] = new JsonArray([.. messages.Select(m =>
            {
                var reply = new JsonObject
                {
                    ["MessageId"] = m.MessageId,
                    ["ReceiptHandle"] = m.ReceiptHandle,
                    ["MD5OfBody"] = m.Md5OfBody,
                    ["Body"] = m.Body,
                };
                var values = new JsonObject();
                if (Wanted("SenderId"))
                    values["SenderId"] = simulator.Options.AccountId;
                if (Wanted("SentTimestamp"))
                    values["SentTimestamp"] = Epoch(m.SentAt);
                if (Wanted("ApproximateReceiveCount"))
                    values["ApproximateReceiveCount"] = m.ReceiveCount.ToString(CultureInfo.InvariantCulture);
                if (Wanted("ApproximateFirstReceiveTimestamp"))
                    values["ApproximateFirstReceiveTimestamp"] = Epoch(m.FirstReceivedAt!.Value);
                if (values.Count > 0)
                    reply["Attributes"] = values;
                return reply;
            })]),
        };
    }

    private static JsonObject SendMessage(CloudFormationSimulator simulator, JsonRequest request)
    {
        var queue = Queue(simulator, request);
        var body = request.RequiredString("MessageBody", MaxBody);
        var delay = (int?)request.Number("DelaySeconds", 0, MaxDelay);
        if (request.Has("MessageAttributes") || request.Has("MessageSystemAttributes"))
            throw new CloudFormationError(HttpStatusCode.BadRequest, "UnsupportedOperation", "MessageAttributes and MessageSystemAttributes are not supported by the sandbox.");
        if (request.Has("MessageGroupId") || request.Has("MessageDeduplicationId"))
            throw request.Fail("MessageGroupId and MessageDeduplicationId apply only to FIFO queues, which the sandbox does not have.");
        var message = simulator.Enqueue(queue, body, delay);
        return new JsonObject { ["MD5OfMessageBody"] = message.Md5OfBody, ["MessageId"] = message.MessageId };
    }

    private static JsonObject DeleteMessage(CloudFormationSimulator simulator, JsonRequest request)
    {
        var queue = Queue(simulator, request);
        Delete(simulator, queue, request.RequiredString("ReceiptHandle", MaxHandle));
        return [];
    }

    private static JsonObject DeleteMessageBatch(CloudFormationSimulator simulator, JsonRequest request)
    {
        var queue = Queue(simulator, request);
        var entries = Entries(request);
        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var (id, entry) in entries)
        {
            try
            {
                Delete(simulator, queue, entry.RequiredString("ReceiptHandle", MaxHandle));
                successful.Add(new JsonObject { ["Id"] = id });
            }
            catch (CloudFormationError e)
            {
                failed.Add(new JsonObject { ["Id"] = id, ["Code"] = e.Code, ["Message"] = e.Message, ["SenderFault"] = true });
            }
        }
        return new JsonObject { ["Successful"] = successful, ["Failed"] = failed };
    }

    private static JsonObject ChangeMessageVisibility(CloudFormationSimulator simulator, JsonRequest request)
    {
        var queue = Queue(simulator, request);
        var handle = request.RequiredString("ReceiptHandle", MaxHandle);
        var timeout = (int)(request.Number("VisibilityTimeout", 0, MaxVisibility) ?? throw request.Fail("VisibilityTimeout is required."));
        var message = queue.ByReceiptHandle(handle) ?? throw InvalidHandle(handle);
        var now = simulator.Time.GetUtcNow();
        if (message.ReceiptHandle != handle || message.VisibleAt <= now)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "MessageNotInflight", "The message referred to isn't in flight.");
        message.VisibleAt = now + TimeSpan.FromSeconds(timeout);
        if (timeout == 0)
            queue.Signal();
        simulator.MessagingChanged();
        return [];
    }

    private static JsonObject GetQueueUrl(CloudFormationSimulator simulator, JsonRequest request)
    {
        var name = request.RequiredString("QueueName", MaxName);
        var owner = request.String("QueueOwnerAWSAccountId", 12);
        if ((owner is not null && owner != simulator.Options.AccountId) || simulator.QueueByName(name) is not { } queue)
            throw NoSuchQueue();
        return new JsonObject { ["QueueUrl"] = queue.Url };
    }

    private static JsonObject GetQueueAttributes(CloudFormationSimulator simulator, JsonRequest request)
    {
        var queue = Queue(simulator, request);
        var names = AttributeNames(request, ["AttributeNames"], QueueAttributes);
        simulator.Expire(queue);
        var now = simulator.Time.GetUtcNow();
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ApproximateNumberOfMessages"] = Number(queue.VisibleCount(now)),
            ["ApproximateNumberOfMessagesNotVisible"] = Number(queue.InFlightCount(now)),
            ["ApproximateNumberOfMessagesDelayed"] = Number(queue.Messages.Count - queue.VisibleCount(now) - queue.InFlightCount(now)),
            ["QueueArn"] = queue.Arn,
            ["RedrivePolicy"] = queue.RedrivePolicy,
            ["VisibilityTimeout"] = Number(queue.VisibilityTimeoutSeconds),
            ["MessageRetentionPeriod"] = Number(queue.MessageRetentionSeconds),
            ["DelaySeconds"] = Number(queue.DelaySeconds),
            ["MaximumMessageSize"] = Number(MaxBody),
            ["ReceiveMessageWaitTimeSeconds"] = "0",
            ["SqsManagedSseEnabled"] = queue.SqsManagedSseEnabled ? "true" : "false",
        };
        var attributes = new JsonObject();
        foreach (var (name, value) in all)
            if (value is not null && (names.Contains("All") || names.Contains(name)))
                attributes[name] = value;
        return attributes.Count == 0 ? [] : new JsonObject { ["Attributes"] = attributes };
    }

    /// <summary>The queue the request's <c>QueueUrl</c> names.</summary>
    private static SimulatedQueue Queue(CloudFormationSimulator simulator, JsonRequest request) =>
        simulator.QueueByUrl(request.RequiredString("QueueUrl", MaxUrl)) ?? throw NoSuchQueue();

    private static void Delete(CloudFormationSimulator simulator, SimulatedQueue queue, string handle)
    {
        if (QueuedMessage.MessageIdOf(handle) is null)
            throw InvalidHandle(handle);
        // A message already deleted (or moved) deletes again without error, as SQS answers a repeated delete.
        if (queue.ByReceiptHandle(handle) is { } message && queue.Messages.Remove(message))
            simulator.MessagingChanged();
    }

    /// <summary>A batch's entries by id: 1 to 10, ids distinct, of letters, digits, hyphens and underscores.</summary>
    private static List<(string Id, JsonRequest Entry)> Entries(JsonRequest request)
    {
        if (!request.Has("Entries"))
            throw request.Fail("Entries is required.");
        var entries = request.Objects("Entries", int.MaxValue);
        if (entries.Count == 0)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "EmptyBatchRequest", "There should be at least one DeleteMessageBatchRequestEntry in the request.");
        if (entries.Count > MaxMessages)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "TooManyEntriesInBatchRequest", $"Maximum number of entries per request are {MaxMessages}. You have sent {entries.Count}.");
        var ids = entries.Select(e => e.RequiredString("Id", MaxBatchId)).ToList();
        if (ids.FirstOrDefault(id => !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) is { } bad)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "InvalidBatchEntryId", $"A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most {MaxBatchId} letters long (Entries: '{bad}').");
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            throw new CloudFormationError(HttpStatusCode.BadRequest, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
        return [.. ids.Zip(entries)];
    }

    private static IReadOnlySet<string> AttributeNames(JsonRequest request, string[] members, HashSet<string> known)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
            foreach (var name in request.Strings(member, MaxAttributeNames, 256))
                names.Add(known.Contains(name) ? name : throw new CloudFormationError(HttpStatusCode.BadRequest, "InvalidAttributeName", $"Unknown Attribute {name} ({member})."));
        return names;
    }

    private static CloudFormationError NoSuchQueue() =>
        new(HttpStatusCode.BadRequest, QueueDoesNotExist, "The specified queue does not exist.");

    private static CloudFormationError InvalidHandle(string handle) =>
        new(HttpStatusCode.NotFound, "ReceiptHandleIsInvalid", $"The input receipt handle \"{handle[..Math.Min(handle.Length, 128)]}\" is not a valid receipt handle.");
}
