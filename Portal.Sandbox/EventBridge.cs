using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>CloudFormation's events as EventBridge carries them (source <c>aws.cloudformation</c>).</summary>
internal static class EventBridgeEvents
{
    public const string ResourceDetailType = "CloudFormation Resource Status Change", StackDetailType = "CloudFormation Stack Status Change";

    /// <summary>
    /// The event for a stack event: a Stack Status Change for the stack's own events, else a Resource Status Change, with
    /// the detail fields of CloudFormation's event reference. A missing reason or token is an empty string (the fields are
    /// strings); <c>time</c> is the event's timestamp in whole seconds, as EventBridge writes it.
    /// </summary>
    public static JsonObject From(SandboxStackEvent e, string stackName, string region, string accountId)
    {
        var isStack = e.ResourceType == SandboxStack.ResourceType && e.LogicalResourceId == stackName;
        var status = new JsonObject { ["status"] = e.ResourceStatus, ["status-reason"] = e.ResourceStatusReason ?? "" };
        var detail = isStack
            ? new JsonObject { ["stack-id"] = e.StackId, ["status-details"] = status, ["client-request-token"] = e.ClientRequestToken ?? "" }
            : new JsonObject
            {
                ["stack-id"] = e.StackId,
                ["logical-resource-id"] = e.LogicalResourceId,
                ["physical-resource-id"] = e.PhysicalResourceId,
                ["status-details"] = status,
                ["resource-type"] = e.ResourceType,
                ["client-request-token"] = e.ClientRequestToken ?? "",
            };
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = isStack ? StackDetailType : ResourceDetailType,
            ["source"] = "aws.cloudformation",
            ["account"] = accountId,
            ["time"] = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray(e.StackId),
            ["detail"] = detail,
        };
    }
}

/// <summary>
/// EventBridge's event patterns, as far as rules on CloudFormation's events need them: fields nested as objects, each
/// leaf a list of values of which one must match (a value of the event, or any element of an array in the event), and
/// the operators <c>prefix</c>, <c>suffix</c>, <c>wildcard</c>, <c>equals-ignore-case</c>, <c>anything-but</c> and
/// <c>exists</c>. Numeric matching and <c>$or</c> are not supported: a pattern using them is refused at deploy.
/// </summary>
internal static class EventPattern
{
    private static readonly HashSet<string> Operators = ["prefix", "suffix", "wildcard", "equals-ignore-case", "anything-but", "exists"];

    public static bool Matches(JsonNode? pattern, JsonObject @event) => pattern is JsonObject fields && MatchObject(fields, @event);

    /// <summary>Throws naming the first part of <paramref name="pattern"/> the sandbox cannot match.</summary>
    public static void Validate(JsonObject pattern, string path = "EventPattern")
    {
        foreach (var (key, rule) in pattern)
        {
            var at = $"{path}.{key}";
            switch (rule)
            {
                case JsonObject nested:
                    Validate(nested, at);
                    break;
                case JsonArray values:
                    foreach (var value in values)
                    {
                        if (value is JsonObject op && (op.Count != 1 || !Operators.Contains(op.First().Key)))
                            throw Refused(at, $"{op.ToJsonString()} is not a matching operator the sandbox supports ({string.Join(", ", Operators)})");
                        if (value is JsonArray)
                            throw Refused(at, "a list of values cannot hold a list");
                    }
                    break;
                default:
                    throw Refused(at, "must be a list of values or an object");
            }
        }
    }

    private static bool MatchObject(JsonObject pattern, JsonObject? @event)
    {
        foreach (var (key, rule) in pattern)
        {
            var present = @event?.ContainsKey(key) == true;
            var value = @event?[key];
            var matched = rule switch
            {
                JsonObject nested => MatchObject(nested, value as JsonObject),
                JsonArray options => MatchField(options, present, value),
                _ => false,
            };
            if (!matched)
                return false;
        }
        return true;
    }

    private static bool MatchField(JsonArray options, bool present, JsonNode? value)
    {
        IReadOnlyList<JsonNode?> values = value is JsonArray items ? [.. items] : [value];
        foreach (var option in options)
        {
            if (option is JsonObject op && op.First() is { Key: "exists" } exists)
            {
                if (exists.Value?.ToString() == (present ? "true" : "false"))
                    return true;
            }
            else if (present && values.Any(v => option is JsonObject o ? Operator(o.First(), v) : JsonNode.DeepEquals(option, v)))
                return true;
        }
        return false;
    }

    private static bool Operator(KeyValuePair<string, JsonNode?> op, JsonNode? value)
    {
        var text = value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
        var argument = op.Value is JsonValue a ? a.ToString() : null;
        return op.Key switch
        {
            "prefix" => text is not null && argument is not null && text.StartsWith(argument, StringComparison.Ordinal),
            "suffix" => text is not null && argument is not null && text.EndsWith(argument, StringComparison.Ordinal),
            "equals-ignore-case" => text is not null && string.Equals(text, argument, StringComparison.OrdinalIgnoreCase),
            "wildcard" => text is not null && argument is not null && Glob.Matches(argument, text),
            "anything-but" => op.Value switch
            {
                JsonArray excluded => !excluded.Any(x => JsonNode.DeepEquals(x, value)),
                JsonObject inner => inner.Count == 1 && !Operator(inner.First(), value),
                var excluded => !JsonNode.DeepEquals(excluded, value),
            },
            _ => false,
        };
    }

    private static CloudFormationError Refused(string path, string problem) =>
        new(HttpStatusCode.BadRequest, "ValidationError", $"Resource handler returned message: \"Event pattern is not valid. Reason: {path} {problem}\" (HandlerErrorCode: InvalidRequest)");
}

/// <summary>Whether an SQS queue policy lets EventBridge send a rule's events to the queue, as IAM would decide it.</summary>
internal static class QueuePolicies
{
    /// <summary>
    /// True when a statement allows principal service <c>events.amazonaws.com</c> (or <c>*</c>) action
    /// <c>sqs:SendMessage</c> on the queue, with its conditions (<c>ArnEquals</c>, <c>ArnLike</c>, <c>StringEquals</c>,
    /// <c>StringLike</c> on <c>aws:SourceArn</c>) met by the rule, and no such statement denies it. A condition the
    /// sandbox does not know is taken as unmet, so it errs toward not delivering, as a wrong policy would at AWS.
    /// </summary>
    public static bool AllowsEventBridge(JsonNode? document, string queueArn, string ruleArn)
    {
        var statements = document?["Statement"] switch
        {
            JsonArray many => many.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var allowed = false;
        foreach (var statement in statements)
        {
            if (!Principal(statement["Principal"]) || !Any(statement["Action"], a => Glob.Matches(a.ToLowerInvariant(), "sqs:sendmessage")) ||
                (statement["Resource"] is { } resource && !Any(resource, r => Glob.Matches(r, queueArn))) || !Conditions(statement["Condition"], ruleArn))
                continue;
            if (statement["Effect"]?.ToString() == "Deny")
                return false;
            allowed |= statement["Effect"]?.ToString() == "Allow";
        }
        return allowed;
    }

    private static bool Principal(JsonNode? principal) => principal switch
    {
        JsonValue any => any.ToString() == "*",
        JsonObject named => Any(named["Service"], s => s == "events.amazonaws.com") || Any(named["AWS"], a => a == "*"),
        _ => false,
    };

    private static bool Conditions(JsonNode? condition, string ruleArn)
    {
        if (condition is null)
            return true;
        if (condition is not JsonObject operators)
            return false;
        foreach (var (name, keys) in operators)
        {
            if (keys is not JsonObject values || values.Any(kv => kv.Key != "aws:SourceArn"))
                return false;
            Func<string, bool> test = name switch
            {
                "ArnEquals" or "StringEquals" => v => v == ruleArn,
                "ArnLike" or "StringLike" => v => Glob.Matches(v, ruleArn),
                _ => _ => false,
            };
            if (!Any(values["aws:SourceArn"], test))
                return false;
        }
        return true;
    }

    /// <summary>A string, or any of a list of strings, passes <paramref name="test"/>.</summary>
    private static bool Any(JsonNode? node, Func<string, bool> test) => node switch
    {
        JsonArray items => items.Any(i => i is JsonValue v && test(v.ToString())),
        JsonValue value => test(value.ToString()),
        _ => false,
    };
}

/// <summary>Matching with <c>*</c> (any run of characters) and, in IAM, <c>?</c> (one character).</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == text[t] || pattern[p] == '?'))
                (p, t) = (p + 1, t + 1);
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
