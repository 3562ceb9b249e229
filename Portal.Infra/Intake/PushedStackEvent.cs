using System.Globalization;
using System.Text.Json;
using Portal.Infra.CloudFormation;

namespace Portal.Infra.Intake;

/// <summary>
/// Reads the events CloudFormation sends to EventBridge ("CloudFormation Resource Status Change" and "CloudFormation
/// Stack Status Change", see the CloudFormation events detail reference), as an EventBridge rule delivers them to SQS:
/// the message body is the event. They carry no EventId and their time is whole seconds, so a pushed event is stored
/// with <see cref="EventIdPrefix"/> and its EventBridge id until polling finds CloudFormation's own (see the store's match),
/// and its time is when EventBridge sent it to the queue (SQS's SentTimestamp, in milliseconds) when the queue says: never
/// before CloudFormation's own time, usually within its second, and it keeps the order of events within one second.
/// </summary>
public static class PushedStackEvent
{
    public const string ResourceStatusChange = "CloudFormation Resource Status Change";
    public const string StackStatusChange = "CloudFormation Stack Status Change";

    /// <summary>The EventId of an event known by push only: this, then EventBridge's id of it.</summary>
    public const string EventIdPrefix = "eventbridge:";

    public static bool IsPushed(string eventId) => eventId.StartsWith(EventIdPrefix, StringComparison.Ordinal);

    // CloudFormation's own bounds (stack id ARN, logical id, status reason), with room: longer is no CloudFormation event.
    private const int MaxBody = 256 * 1024, MaxField = 4096;

    /// <summary>
    /// The stack event a message carries, in the shape DescribeStackEvents gives (its <see cref="StackEvent.Timestamp"/>
    /// <paramref name="sentAt"/> when given and within the event's second or after it, else EventBridge's whole second);
    /// null for a message that is no CloudFormation status change, with the reason why.
    /// </summary>
    public static StackEvent? Read(string body, out string? refusal, DateTime? sentAt = null)
    {
        refusal = null;
        if (body.Length > MaxBody)
        {
            refusal = $"the message is {body.Length:N0} characters, more than any CloudFormation event";
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var detailType = Text(root, "detail-type");
            if (Text(root, "source") != "aws.cloudformation" || detailType is not (ResourceStatusChange or StackStatusChange))
            {
                refusal = $"not a CloudFormation status change (source '{Text(root, "source")}', detail-type '{detailType}')";
                return null;
            }
            if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object
                || !detail.TryGetProperty("status-details", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                refusal = "the event has no detail.status-details";
                return null;
            }
            var id = Text(root, "id");
            var stackId = Text(detail, "stack-id");
            var resourceStatus = Text(status, "status");
            if (id is null || stackId is null || resourceStatus is null || StackName(stackId) is not { } stackName
                || !DateTime.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                refusal = "the event lacks its id, time, detail.stack-id (a stack ARN) or detail.status-details.status";
                return null;
            }
            var stack = detailType == StackStatusChange;
            return new StackEvent
            {
                EventId = EventIdPrefix + id,
                StackId = stackId,
                StackName = stackName,
                // The stack's own line, as DescribeStackEvents shows it: the stack is its own logical and physical resource.
                LogicalResourceId = stack ? stackName : Text(detail, "logical-resource-id"),
                PhysicalResourceId = stack ? stackId : NullIfEmpty(Text(detail, "physical-resource-id")),
                ResourceType = stack ? "AWS::CloudFormation::Stack" : Text(detail, "resource-type"),
                Timestamp = sentAt is { } sent && sent >= time && sent < time + Lag ? DateTime.SpecifyKind(sent, DateTimeKind.Utc) : time,
                ResourceStatus = resourceStatus,
                ResourceStatusReason = NullIfEmpty(Text(status, "status-reason")),
                ClientRequestToken = NullIfEmpty(Text(detail, "client-request-token")),
            };
        }
        catch (JsonException e)
        {
            refusal = $"not JSON: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Whether a pushed event and a polled one are the same CloudFormation event: the same stack, resource, status and
    /// reason (when both give one), and the pushed time within the second the polled event happened in, or up to
    /// <see cref="Lag"/> after it (EventBridge stamps and sends the event after CloudFormation raised it, never before).
    /// </summary>
    public static bool SameEvent(StackEvent pushed, StackEvent polled) =>
        pushed.StackId == polled.StackId && SameEvent(pushed.LogicalResourceId, pushed.ResourceStatus, pushed.ResourceStatusReason, pushed.Timestamp,
            polled.LogicalResourceId, polled.ResourceStatus, polled.ResourceStatusReason, polled.Timestamp);

    /// <inheritdoc cref="SameEvent(StackEvent, StackEvent)"/>
    public static bool SameEvent(string? pushedLogicalId, string? pushedStatus, string? pushedReason, DateTime pushedAt,
        string? polledLogicalId, string? polledStatus, string? polledReason, DateTime polledAt) =>
        pushedLogicalId == polledLogicalId && pushedStatus == polledStatus
        && (string.IsNullOrEmpty(pushedReason) || string.IsNullOrEmpty(polledReason) || pushedReason == polledReason)
        && pushedAt >= Second(polledAt) && pushedAt <= Second(polledAt) + Lag;

    /// <summary>How much later than the polled event's second a pushed event may be stamped and still be the same.</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromSeconds(2);

    /// <summary>The stack name in a stack id: <c>arn:aws:cloudformation:us-east-1:123456789012:stack/NAME/guid</c>.</summary>
    public static string? StackName(string stackId)
    {
        var parts = stackId.Split(':', 6);
        if (parts is not [_, _, "cloudformation", _, _, var resource] || !resource.StartsWith("stack/", StringComparison.Ordinal))
            return null;
        var path = resource.Split('/');
        return path.Length == 3 && path[1].Length > 0 ? path[1] : null;
    }

    private static DateTime Second(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: <= MaxField } text ? text : throw new JsonException($"{name} is longer than {MaxField} characters")
            : null;
}
