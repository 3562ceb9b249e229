using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Portal.Sandbox;

/// <summary>
/// An SQS standard queue of the account, created by an <c>AWS::SQS::Queue</c> resource: its settings and its messages,
/// kept on disk with the account. Visibility timeouts, delays and the retention period are AWS's durations on the
/// sandbox's clock, not scaled by <see cref="SandboxOptions.TimeScale"/>: they bound what the queue's client does (how
/// long it may take to handle a message), which runs in real time; scaled, a 30 s visibility would be 60 ms in tests and
/// messages still being handled would come back. Mutated only under the simulator's lock.
/// </summary>
internal sealed class SimulatedQueue
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required string Url { get; init; }

    /// <summary>The stack and logical id of the resource that created it.</summary>
    public required string StackId { get; init; }
    public required string LogicalId { get; init; }

    public int VisibilityTimeoutSeconds { get; set; } = 30;
    public int MessageRetentionSeconds { get; set; } = 345_600;
    public int DelaySeconds { get; set; }
    public string? DeadLetterTargetArn { get; set; }
    public int MaxReceiveCount { get; set; }
    public bool SqsManagedSseEnabled { get; set; } = true;

    /// <summary>Messages, oldest first.</summary>
    public List<QueuedMessage> Messages { get; init; } = [];

    /// <summary>Messages dropped because the queue was full (<see cref="SandboxOptions.MaxMessagesPerQueue"/>).</summary>
    public long Dropped { get; set; }

    /// <summary>Completed when a message may have become receivable; replaced by each waiter that finds it completed.</summary>
    [JsonIgnore]
    public TaskCompletionSource Arrival { get; private set; } = NewSignal();

    [JsonIgnore]
    public string? RedrivePolicy => DeadLetterTargetArn is null ? null
        : new JsonObject { ["deadLetterTargetArn"] = DeadLetterTargetArn, ["maxReceiveCount"] = MaxReceiveCount }.ToJsonString();

    /// <summary>Adds a message, dropping the oldest beyond <paramref name="capacity"/>; the number dropped.</summary>
    public int Add(QueuedMessage message, int capacity)
    {
        Messages.Add(message);
        var excess = Math.Max(0, Messages.Count - capacity);
        Messages.RemoveRange(0, excess);
        Dropped += excess;
        Signal();
        return excess;
    }

    public void Signal() => Arrival.TrySetResult();

    /// <summary>The signal to wait on: a fresh one once the last has fired.</summary>
    public Task Waiter()
    {
        if (Arrival.Task.IsCompleted)
            Arrival = NewSignal();
        return Arrival.Task;
    }

    /// <summary>Drops the messages past their retention period (counted from when they were first sent); how many.</summary>
    public int Expire(DateTimeOffset now) =>
        Messages.RemoveAll(m => m.SentAt + TimeSpan.FromSeconds(MessageRetentionSeconds) <= now);

    public int VisibleCount(DateTimeOffset now) => Messages.Count(m => m.VisibleAt <= now);

    public int InFlightCount(DateTimeOffset now) => Messages.Count(m => m.VisibleAt > now && m.ReceiveCount > 0);

    public QueuedMessage? ByReceiptHandle(string receiptHandle) =>
        QueuedMessage.MessageIdOf(receiptHandle) is { } id ? Messages.FirstOrDefault(m => m.MessageId == id) : null;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A message in a queue.</summary>
internal sealed class QueuedMessage
{
    public required string MessageId { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public DateTimeOffset VisibleAt { get; set; }
    public int ReceiveCount { get; set; }
    public DateTimeOffset? FirstReceivedAt { get; set; }

    /// <summary>The handle of the latest receive (null before the first): a message id and a nonce.</summary>
    public string? ReceiptHandle { get; set; }

    [JsonIgnore]
    public string Md5OfBody => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(Body)));

    public static QueuedMessage New(string body, DateTimeOffset now, int delaySeconds = 0) => new()
    {
        MessageId = Guid.NewGuid().ToString(),
        Body = body,
        SentAt = now,
        VisibleAt = now + TimeSpan.FromSeconds(delaySeconds),
    };

    /// <summary>A new handle for this receive: opaque to clients, as AWS's are, and naming the message.</summary>
    public string NewReceiptHandle() =>
        ReceiptHandle = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MessageId}|{Guid.NewGuid():N}"));

    /// <summary>The message a handle names, or null for a handle the sandbox never gave.</summary>
    public static string? MessageIdOf(string receiptHandle)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(receiptHandle));
            var bar = text.IndexOf('|');
            return bar == 36 && Guid.TryParse(text.AsSpan(0, bar), out _) ? text[..bar] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
