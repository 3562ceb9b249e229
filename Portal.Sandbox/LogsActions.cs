using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The CloudWatch Logs actions the sandbox answers (JSON 1.1, target <c>Logs_20140328</c>): the lines the services'
/// containers wrote through the awslogs driver, by the sandbox's clock. A log group outlives its stack, as the CDK's
/// retained log groups do. Called under the simulator's lock.
/// </summary>
internal static class LogsActions
{
    public const string TargetPrefix = "Logs_20140328";

    // The API reference's limits: names of 512 characters, ARNs of 2,048, at most 10,000 events a call.
    private const int MaxName = 512, MaxArn = 2048, MaxLimit = 10_000;

    public static readonly IReadOnlyDictionary<string, Func<CloudFormationSimulator, JsonRequest, JsonObject>> Handlers =
        new Dictionary<string, Func<CloudFormationSimulator, JsonRequest, JsonObject>>(StringComparer.Ordinal)
        {
            ["GetLogEvents"] = GetLogEvents,
        };

    private static JsonObject GetLogEvents(CloudFormationSimulator simulator, JsonRequest request)
    {
        var groupName = request.String("logGroupName", MaxName);
        var groupIdentifier = request.String("logGroupIdentifier", MaxArn);
        if (groupName is not null && groupIdentifier is not null)
            throw JsonRequest.Invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        var group = groupName ?? GroupName(groupIdentifier) ?? throw JsonRequest.Invalid("Either logGroupName or logGroupIdentifier must be specified.");
        var streamName = request.RequiredString("logStreamName", MaxName);
        var startTime = request.Number("startTime", 0, long.MaxValue);
        var endTime = request.Number("endTime", 0, long.MaxValue);
        var limit = (int)(request.Number("limit", 1, MaxLimit) ?? MaxLimit);
        var fromHead = request.Flag("startFromHead") ?? false;
        var token = request.String("nextToken", 1024);
        var now = simulator.Time.GetUtcNow();

        var containers = simulator.Services().SelectMany(x => x.Service.Tasks).SelectMany(t => t.Containers.Select(c => (Task: t, Container: c)))
            .Where(x => x.Container.LogGroup == group && x.Task.CreatedAt <= now)
            .ToList();
        if (containers.Count == 0)
            throw NotFound("The specified log group does not exist.");
        // A stream exists once its container started (the awslogs driver creates it then).
        var stream = containers.FirstOrDefault(x => x.Container.LogStream == streamName && x.Task.StartedAt <= now).Container
            ?? throw NotFound("The specified log stream does not exist.");

        var lines = stream.Logs
            .Where(l => l.At <= now)
            .Select(l => (Timestamp: l.At.ToUnixTimeMilliseconds(), l.Message))
            .Where(l => (startTime is null || l.Timestamp >= startTime) && (endTime is null || l.Timestamp < endTime))
            .ToList();
        int first, end;
        if (token is not null)
        {
            var (forward, position) = ReadToken(token, lines.Count);
            (first, end) = forward ? (position, Math.Min(lines.Count, position + limit)) : (Math.Max(0, position - limit), position);
        }
        else
            (first, end) = fromHead ? (0, Math.Min(lines.Count, limit)) : (Math.Max(0, lines.Count - limit), lines.Count);

        return new JsonObject
        {
            ["events"] = new JsonArray([.. lines.Skip(first).Take(end - first).Select(l => new JsonObject
            {
                ["timestamp"] = l.Timestamp,
                ["message"] = l.Message,
                ["ingestionTime"] = l.Timestamp + 40, // the driver ships a line within moments
            })]),
            ["nextForwardToken"] = Token('f', end),
            ["nextBackwardToken"] = Token('b', first),
        };
    }

    /// <summary>The name in a log group ARN (<c>arn:aws:logs:region:account:log-group:NAME[:*]</c>), or the identifier itself.</summary>
    private static string? GroupName(string? identifier)
    {
        const string marker = ":log-group:";
        if (identifier is null || !identifier.StartsWith("arn:", StringComparison.Ordinal))
            return identifier;
        var at = identifier.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
            throw JsonRequest.Invalid("logGroupIdentifier must be a log group name or ARN.");
        var name = identifier[(at + marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static string Token(char direction, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"{direction}/{position:D20}");

    private static (bool Forward, int Position) ReadToken(string token, int count)
    {
        if (token.Length > 2 && token[0] is 'f' or 'b' && token[1] == '/' &&
            int.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            return (token[0] == 'f', Math.Min(position, count));
        throw JsonRequest.Invalid("The specified nextToken is invalid.");
    }

    private static CloudFormationError NotFound(string message) => new(HttpStatusCode.BadRequest, "ResourceNotFoundException", message);
}
