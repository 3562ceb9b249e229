using System.Text.Json.Serialization;
using Portal.Infra.Aws;

namespace Portal.Infra.CloudWatchLogs;

public sealed record GetLogEventsRequest
{
    /// <summary>The log group's name; give it or <see cref="LogGroupIdentifier"/>, not both.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>The log group's name or ARN (for a group in another account); give it or <see cref="LogGroupName"/>.</summary>
    public string? LogGroupIdentifier { get; init; }

    /// <summary>For an ECS task's container: <c>&lt;prefix&gt;/&lt;container&gt;/&lt;task id&gt;</c>.</summary>
    public required string LogStreamName { get; init; }

    [JsonConverter(typeof(EpochMilliseconds))]
    public DateTime? StartTime { get; init; }

    [JsonConverter(typeof(EpochMilliseconds))]
    public DateTime? EndTime { get; init; }

    /// <summary>A previous response's <see cref="GetLogEventsResponse.NextForwardToken"/> or <see cref="GetLogEventsResponse.NextBackwardToken"/>.</summary>
    public string? NextToken { get; init; }

    /// <summary>The most events returned, 1 to <see cref="CloudWatchLogsClient.MaxLimit"/>; the last lines before a crash need few.</summary>
    public int Limit { get; init; } = CloudWatchLogsClient.DefaultLimit;

    /// <summary>False (the default) returns the newest events; true the oldest.</summary>
    public bool StartFromHead { get; init; }
}

public sealed record GetLogEventsResponse : AwsResponse
{
    /// <summary>Oldest first, whichever end of the stream they were taken from.</summary>
    public IReadOnlyList<OutputLogEvent> Events { get; init; } = [];

    /// <summary>Never null; at the end of the stream it is the token that was passed in.</summary>
    public string? NextForwardToken { get; init; }

    public string? NextBackwardToken { get; init; }
}

public sealed record OutputLogEvent
{
    /// <summary>When the line was written (UTC).</summary>
    [JsonConverter(typeof(EpochMilliseconds))]
    public required DateTime Timestamp { get; init; }

    public required string Message { get; init; }

    /// <summary>When CloudWatch Logs received it (UTC).</summary>
    [JsonConverter(typeof(EpochMilliseconds))]
    public DateTime? IngestionTime { get; init; }
}
