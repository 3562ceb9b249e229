using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Portal.Sandbox;

/// <summary>An <c>AWS::Events::Rule</c> on the account's default event bus, as deployed.</summary>
internal sealed record EventRule(
    string Name, string Arn, string StackId, string LogicalId, string EventBusName, string State, JsonNode? Pattern, IReadOnlyList<RuleTarget> Targets);

internal sealed record RuleTarget(string Id, string Arn);

/// <summary>An <c>AWS::SQS::QueuePolicy</c>: the queues it applies to (by URL) and its policy document.</summary>
internal sealed record QueuePolicy(string PhysicalId, string StackId, IReadOnlyList<string> QueueUrls, JsonNode? Document);

/// <summary>The account's messaging on disk (<c>messaging.json</c>).</summary>
internal sealed record MessagingRecord(
    IReadOnlyList<SimulatedQueue> Queues, IReadOnlyList<EventRule> Rules, IReadOnlyList<QueuePolicy> Policies, long Undelivered);

/// <summary>
/// The account's SQS queues, EventBridge rules and queue policies, created by the stacks' resources, and the delivery of
/// CloudFormation's events to them: every stack event is matched against the enabled rules of the default bus and sent,
/// as EventBridge sends it, to each target queue whose policy lets EventBridge send to it. Called under the lock.
/// </summary>
internal sealed partial class CloudFormationSimulator
{
    public const string QueueType = "AWS::SQS::Queue", QueuePolicyType = "AWS::SQS::QueuePolicy", RuleType = "AWS::Events::Rule";

    // AWS's limits: queue names of 80 characters, 5 targets a rule, an event pattern of 4,096 characters (the sandbox's own
    // bound, EventBridge's is larger), visibility up to 12 hours, retention 60 s to 14 days, delay up to 15 minutes.
    private const int MaxQueueName = 80, MaxTargets = 5, MaxPatternLength = 4096, MaxVisibility = 43_200,
        MinRetention = 60, MaxRetention = 1_209_600, MaxDelay = 900, MaxReceiveCountLimit = 1000;

    private readonly Dictionary<string, SimulatedQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EventRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuePolicy> _policies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _longPollsEnded = new();
    private bool _messagingChanged;
    private int _longPollsWaiting;

    /// <summary>The URL of the account's SQS endpoint, the base of every queue URL; set by the host once it listens.</summary>
    public string SqsUrl
    {
        get => Fakes.SqsUrl;
        set => Fakes.SqsUrl = value;
    }

    /// <summary>Events a rule matched but could not send to its queue: no queue policy lets EventBridge send to it.</summary>
    public long UndeliveredEvents { get; private set; }

    /// <summary>Messages dropped from full queues (<see cref="SandboxOptions.MaxMessagesPerQueue"/>), all queues together.</summary>
    public long DroppedMessages => _queues.Values.Sum(q => q.Dropped);

    /// <summary>Cancelled when long polls must end now: the host is stopping, or the sandbox is disposed.</summary>
    public CancellationToken LongPollsEnded => _longPollsEnded.Token;

    public void EndLongPolls() => _longPollsEnded.Cancel();

    /// <summary>ReceiveMessage calls waiting now for a message to arrive.</summary>
    public int LongPollsWaiting => Volatile.Read(ref _longPollsWaiting);

    /// <summary>Counts a long poll as waiting until the result is disposed.</summary>
    public IDisposable LongPollWaiting()
    {
        Interlocked.Increment(ref _longPollsWaiting);
        return new Waiting(this);
    }

    private sealed class Waiting(CloudFormationSimulator simulator) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref simulator._longPollsWaiting);
        }
    }

    public SimulatedQueue? QueueByName(string name) => _queues.GetValueOrDefault(name);

    public SimulatedQueue? QueueByArn(string arn) =>
        arn.StartsWith($"arn:aws:sqs:{Options.Region}:{Options.AccountId}:", StringComparison.Ordinal) ? QueueByName(arn[(arn.LastIndexOf(':') + 1)..]) : null;

    /// <summary>The queue a URL names (<c>…/&lt;account&gt;/&lt;name&gt;</c>; the host is not compared, as it changes with the port).</summary>
    public SimulatedQueue? QueueByUrl(string url)
    {
        var parts = url.TrimEnd('/').Split('/');
        return parts.Length >= 2 && parts[^2] == Options.AccountId ? QueueByName(parts[^1]) : null;
    }

    public void MessagingChanged() => _messagingChanged |= _store is not null;

    /// <summary>Adds a message to a queue, within <see cref="SandboxOptions.MaxMessagesPerQueue"/>.</summary>
    public QueuedMessage Enqueue(SimulatedQueue queue, string body, int? delaySeconds = null)
    {
        var message = QueuedMessage.New(body, Time.GetUtcNow(), delaySeconds ?? queue.DelaySeconds);
        var dropped = queue.Add(message, Options.MaxMessagesPerQueue);
        if (dropped > 0)
            _logger.LogWarning("Sandbox queue {Queue} is full ({Max} messages, {Setting}): its oldest message was dropped, {Dropped} so far",
                queue.Name, Options.MaxMessagesPerQueue, $"{SandboxOptions.SectionName}:{nameof(SandboxOptions.MaxMessagesPerQueue)}", queue.Dropped);
        MessagingChanged();
        return message;
    }

    /// <summary>
    /// Receives up to <paramref name="max"/> visible messages, oldest first, hiding each for <paramref name="visibility"/>
    /// seconds. A message already received <see cref="SimulatedQueue.MaxReceiveCount"/> times moves to the dead-letter
    /// queue instead, as SQS's redrive does.
    /// </summary>
    public List<QueuedMessage> Receive(SimulatedQueue queue, int max, int visibility)
    {
        var now = Time.GetUtcNow();
        var changed = Expire(queue) > 0;
        var taken = new List<QueuedMessage>();
        var deadLetter = queue.DeadLetterTargetArn is { } arn ? QueueByArn(arn) : null;
        foreach (var message in queue.Messages.Where(m => m.VisibleAt <= now).ToList())
        {
            if (taken.Count == max)
                break;
            if (deadLetter is not null && message.ReceiveCount >= queue.MaxReceiveCount)
            {
                queue.Messages.Remove(message);
                deadLetter.Add(new QueuedMessage { MessageId = message.MessageId, Body = message.Body, SentAt = message.SentAt, VisibleAt = now },
                    Options.MaxMessagesPerQueue);
                changed = true;
                continue;
            }
            message.ReceiveCount++;
            message.FirstReceivedAt ??= now;
            message.VisibleAt = now + TimeSpan.FromSeconds(visibility);
            message.NewReceiptHandle();
            taken.Add(message);
        }
        if (changed || taken.Count > 0)
            MessagingChanged();
        return taken;
    }

    /// <summary>Drops the queue's messages past their retention period; how many.</summary>
    public int Expire(SimulatedQueue queue)
    {
        var expired = queue.Expire(Time.GetUtcNow());
        if (expired > 0)
            MessagingChanged();
        return expired;
    }

    /// <summary>
    /// A resource of a messaging type is created, updated, replaced or reverted: the account's queue, rule or policy takes
    /// its rendered properties. Throws a CloudFormationError (the resource fails with it) for properties AWS refuses.
    /// </summary>
    public void MessagingDeploying(SandboxStack stack, StackBlueprint blueprint, TemplateResource resource, DeployedResource deployed)
    {
        if (resource.Type is not (QueueType or QueuePolicyType or RuleType))
            return;
        var evaluator = blueprint.Evaluator(new Dictionary<string, DeployedResource>(stack.Resources, StringComparer.Ordinal));
        var properties = evaluator.Evaluate(resource.Properties) as JsonObject ?? [];
        switch (resource.Type)
        {
            case QueueType:
                DeployQueue(stack, deployed, properties);
                break;
            case RuleType:
                _rules[deployed.PhysicalId] = Rule(stack, deployed, properties);
                break;
            default:
                _policies[deployed.PhysicalId] = new QueuePolicy(deployed.PhysicalId, stack.Id,
                    Strings(properties["Queues"], "Queues") is { Count: > 0 } urls ? urls : throw Invalid("Queues", "at least one queue URL is required"),
                    JsonDocumentOf(properties["PolicyDocument"], "PolicyDocument") ?? throw Invalid("PolicyDocument", "a policy document is required"));
                break;
        }
        MessagingChanged();
    }

    /// <summary>CloudFormation deleted the resource: its queue (with its messages), rule or policy is gone.</summary>
    public void MessagingDeleted(DeployedResource resource)
    {
        var removed = resource.Type switch
        {
            QueueType => QueueByUrl(resource.PhysicalId) is { } queue && _queues.Remove(queue.Name),
            RuleType => _rules.Remove(resource.PhysicalId),
            QueuePolicyType => _policies.Remove(resource.PhysicalId),
            _ => false,
        };
        if (removed)
            MessagingChanged();
    }

    private void DeployQueue(SandboxStack stack, DeployedResource deployed, JsonObject properties)
    {
        var name = deployed.Attributes["QueueName"]!.ToString();
        if (name.Length > MaxQueueName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw Invalid("QueueName", "can only include alphanumeric characters, hyphens, or underscores; 1 to 80 in length");
        if (properties["FifoQueue"] is JsonValue fifo && fifo.ToString() is "true" or "True")
            throw Invalid("FifoQueue", "FIFO queues are not supported by the sandbox");
        if (!_queues.TryGetValue(name, out var queue))
        {
            queue = new SimulatedQueue { Name = name, Arn = deployed.Attributes["Arn"]!.ToString(), Url = deployed.PhysicalId, StackId = stack.Id, LogicalId = deployed.LogicalId };
            _queues[name] = queue;
        }
        else if (queue.StackId != stack.Id || queue.LogicalId != deployed.LogicalId)
            throw Invalid("QueueName", $"{name} already exists in stack {queue.StackId}");
        queue.VisibilityTimeoutSeconds = Whole(properties["VisibilityTimeout"], "VisibilityTimeout", 0, MaxVisibility) ?? 30;
        queue.MessageRetentionSeconds = Whole(properties["MessageRetentionPeriod"], "MessageRetentionPeriod", MinRetention, MaxRetention) ?? 345_600;
        queue.DelaySeconds = Whole(properties["DelaySeconds"], "DelaySeconds", 0, MaxDelay) ?? 0;
        queue.SqsManagedSseEnabled = properties["SqsManagedSseEnabled"]?.ToString() is not ("false" or "False");
        if (JsonDocumentOf(properties["RedrivePolicy"], "RedrivePolicy") is JsonObject redrive)
        {
            queue.DeadLetterTargetArn = redrive["deadLetterTargetArn"]?.ToString() ?? throw Invalid("RedrivePolicy", "deadLetterTargetArn is required");
            queue.MaxReceiveCount = Whole(redrive["maxReceiveCount"], "RedrivePolicy.maxReceiveCount", 1, MaxReceiveCountLimit)
                ?? throw Invalid("RedrivePolicy", "maxReceiveCount is required");
        }
        else
            (queue.DeadLetterTargetArn, queue.MaxReceiveCount) = (null, 0);
    }

    private EventRule Rule(SandboxStack stack, DeployedResource deployed, JsonObject properties)
    {
        var pattern = JsonDocumentOf(properties["EventPattern"], "EventPattern");
        if (pattern is not null && (pattern is not JsonObject || pattern.ToJsonString().Length > MaxPatternLength))
            throw Invalid("EventPattern", $"must be a JSON object of at most {MaxPatternLength} characters");
        if (pattern is null && properties["ScheduleExpression"] is null)
            throw Invalid("EventPattern", "either EventPattern or ScheduleExpression must be specified");
        if (pattern is JsonObject fields)
            EventPattern.Validate(fields);
        var state = properties["State"]?.ToString() ?? "ENABLED";
        if (state is not ("ENABLED" or "DISABLED" or "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"))
            throw Invalid("State", "must be ENABLED or DISABLED");
        var targets = properties["Targets"] as JsonArray ?? [];
        if (targets.Count > MaxTargets)
            throw Invalid("Targets", $"a rule can have at most {MaxTargets} targets");
        var parsed = targets.Select((t, i) => new RuleTarget(
            t?["Id"]?.ToString() ?? throw Invalid($"Targets[{i}].Id", "is required"),
            t["Arn"]?.ToString() ?? throw Invalid($"Targets[{i}].Arn", "is required"))).ToList();
        var bus = properties["EventBusName"]?.ToString() ?? "default";
        return new EventRule(deployed.PhysicalId, deployed.Attributes["Arn"]!.ToString(), stack.Id, deployed.LogicalId,
            bus[(bus.LastIndexOf('/') + 1)..], state, pattern, parsed);
    }

    /// <summary>
    /// Sends a stack event, as EventBridge would, to the queues that enabled rules of the default bus route it to.
    /// Called by <see cref="Emit"/>, under the lock, so the messages are written with the event.
    /// </summary>
    private void Publish(SandboxStack stack, SandboxStackEvent stackEvent)
    {
        if (_rules.Count == 0)
            return;
        var message = EventBridgeEvents.From(stackEvent, stack.Name, Options.Region, Options.AccountId);
        string? body = null;
        foreach (var rule in _rules.Values.Where(r => r.State != "DISABLED" && r.EventBusName == "default" && EventPattern.Matches(r.Pattern, message)))
        {
            foreach (var target in rule.Targets)
            {
                if (QueueByArn(target.Arn) is not { } queue)
                    continue; // not a queue of this sandbox: nothing to deliver to
                if (!_policies.Values.Any(p => p.QueueUrls.Any(url => QueueByUrl(url) == queue) && QueuePolicies.AllowsEventBridge(p.Document, queue.Arn, rule.Arn)))
                {
                    UndeliveredEvents++;
                    MessagingChanged();
                    _logger.LogDebug("Sandbox rule {Rule} could not send to queue {Queue}: no queue policy allows events.amazonaws.com sqs:SendMessage", rule.Name, queue.Name);
                    continue;
                }
                Enqueue(queue, body ??= message.ToJsonString());
            }
        }
    }

    private byte[]? MessagingFile()
    {
        if (!_messagingChanged)
            return null;
        _messagingChanged = false;
        return SandboxStore.Serialize(new MessagingRecord([.. _queues.Values], [.. _rules.Values], [.. _policies.Values], UndeliveredEvents));
    }

    private void LoadMessaging(MessagingRecord? record)
    {
        if (record is null)
            return;
        foreach (var queue in record.Queues)
            _queues[queue.Name] = queue;
        foreach (var rule in record.Rules)
            _rules[rule.Name] = rule;
        foreach (var policy in record.Policies)
            _policies[policy.PhysicalId] = policy;
        UndeliveredEvents = record.Undelivered;
    }

    private static int? Whole(JsonNode? node, string field, int minimum, int maximum)
    {
        if (node is null)
            return null;
        if (!int.TryParse(node.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
            throw Invalid(field, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {minimum} to {maximum} (was {node.ToJsonString()})"));
        return value;
    }

    private static List<string> Strings(JsonNode? node, string field) => node switch
    {
        null => [],
        JsonArray items => [.. items.Select((i, n) => i is JsonValue v ? v.ToString() : throw Invalid($"{field}[{n}]", "must be a string"))],
        _ => throw Invalid(field, "must be a list of strings"),
    };

    /// <summary>A JSON document property, given inline (as the CDK synthesizes it) or as a JSON string.</summary>
    private static JsonNode? JsonDocumentOf(JsonNode? node, string field)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            return node?.DeepClone();
        try
        {
            return JsonNode.Parse(value.GetValue<string>());
        }
        catch (JsonException e)
        {
            throw Invalid(field, $"is not JSON: {e.Message}");
        }
    }

    private static CloudFormationError Invalid(string field, string problem) =>
        new(HttpStatusCode.BadRequest, "ValidationError", $"Resource handler returned message: \"Invalid value for {field}: {problem}\" (HandlerErrorCode: InvalidRequest)");
}
