using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Portal.Benchmarks.Running;

/// <summary>A stack event as the stream sent it, and when this client read it.</summary>
public sealed record ReceivedEvent(
    long Id, int RevisionNumber, DateTimeOffset Timestamp, string LogicalResourceId, string ResourceStatus, string? Reason,
    DateTimeOffset ReceivedAt)
{
    public double LatencyMs => (ReceivedAt - Timestamp).TotalMilliseconds;
}

/// <summary>
/// One client of <c>GET /api/environments/{name}/events/stream</c> (Server-Sent Events), reading in the background:
/// it keeps every stack event with the time it arrived, and completes <see cref="Settled"/> once the stream announces
/// that the environment's current revision finished deploying (Deployed or Failed).
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly List<ReceivedEvent> events = [];
    private readonly TaskCompletionSource<string> settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task reading;

    private EventStream(Uri baseAddress, string environment)
    {
        http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-alice");
        reading = ReadAsync(environment, stop.Token);
    }

    /// <summary>The revision's final status, once the stream said it.</summary>
    public Task<string> Settled => settled.Task;

    public IReadOnlyList<ReceivedEvent> Events
    {
        get
        {
            lock (events) return [.. events];
        }
    }

    /// <summary>Opens the stream and returns once the portal answered with its headers.</summary>
    public static async Task<EventStream> OpenAsync(Uri baseAddress, string environment, CancellationToken cancellationToken)
    {
        var stream = new EventStream(baseAddress, environment);
        await stream.connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return stream;
    }

    private async Task ReadAsync(string environment, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/environments/{environment}/events/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            connected.TrySetResult();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            string? type = null, data = null;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                else if (line.Length == 0 && data is not null)
                {
                    Dispatch(type, JsonNode.Parse(data)!, DateTimeOffset.UtcNow);
                    type = data = null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            connected.TrySetException(e);
            settled.TrySetException(e);
        }
    }

    private void Dispatch(string? type, JsonNode data, DateTimeOffset receivedAt)
    {
        if (type == "stack-event")
        {
            lock (events)
                events.Add(new ReceivedEvent((long)data["id"]!, (int)data["revisionNumber"]!, DateTimeOffset.Parse((string)data["timestamp"]!),
                    (string)data["logicalResourceId"]!, (string)data["resourceStatus"]!, (string?)data["resourceStatusReason"], receivedAt));
        }
        else if (type == "status" && (string)data["revisionStatus"]! is "Deployed" or "Failed" && (string)data["revisionKind"]! != "Destroy")
        {
            settled.TrySetResult((string)data["revisionStatus"]!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading;
        http.Dispose();
        stop.Dispose();
    }
}
