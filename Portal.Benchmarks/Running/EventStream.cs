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
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ReceivedEvent> _events = [];
    private readonly TaskCompletionSource<string> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    private EventStream(Uri baseAddress, string environment)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-alice");
        _reading = ReadAsync(environment, _stop.Token);
    }

    /// <summary>The revision's final status, once the stream said it.</summary>
    public Task<string> Settled => _settled.Task;

    public IReadOnlyList<ReceivedEvent> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    /// <summary>Opens the stream and returns once the portal answered with its headers.</summary>
    public static async Task<EventStream> OpenAsync(Uri baseAddress, string environment, CancellationToken cancellationToken)
    {
        var stream = new EventStream(baseAddress, environment);
        await stream._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return stream;
    }

    private async Task ReadAsync(string environment, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync($"api/environments/{environment}/events/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            _connected.TrySetResult();
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
            _connected.TrySetException(e);
            _settled.TrySetException(e);
        }
    }

    private void Dispatch(string? type, JsonNode data, DateTimeOffset receivedAt)
    {
        if (type == "stack-event")
        {
            lock (_events)
                _events.Add(new ReceivedEvent((long)data["id"]!, (int)data["revisionNumber"]!, DateTimeOffset.Parse((string)data["timestamp"]!),
                    (string)data["logicalResourceId"]!, (string)data["resourceStatus"]!, (string?)data["resourceStatusReason"], receivedAt));
        }
        else if (type == "status" && (string)data["revisionStatus"]! is "Deployed" or "Failed" && (string)data["revisionKind"]! != "Destroy")
        {
            _settled.TrySetResult((string)data["revisionStatus"]!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _http.Dispose();
        _stop.Dispose();
    }
}
