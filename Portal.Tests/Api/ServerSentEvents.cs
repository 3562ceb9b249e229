using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Portal.Tests.Api;

/// <summary>Reads an event stream with .NET's own SSE parser, so the portal's wire format is checked as a client sees it.</summary>
public static class ServerSentEvents
{
    /// <summary>
    /// The stream's messages (<c>stack-event</c> and <c>status</c>, data as JSON) up to and including the first that
    /// <paramref name="last"/> accepts; fails after <paramref name="deadline"/> or if the stream ends first.
    /// </summary>
    public static async Task<IReadOnlyList<SseItem<JsonElement>>> ReadUntilAsync(
        Stream stream, Func<SseItem<JsonElement>, bool> last, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var items = new List<SseItem<JsonElement>>();
        try
        {
            var parser = SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize<JsonElement>(data));
            await foreach (var item in parser.EnumerateAsync(timeout.Token))
            {
                items.Add(item);
                if (last(item)) return items;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"the awaited event did not arrive within {deadline}; got {items.Count} messages, the last: {Describe(items.LastOrDefault())}");
        }

        Assert.Fail($"the stream ended after {items.Count} messages without the awaited event");
        return items;
    }

    public static bool IsStackEvent(this SseItem<JsonElement> item) => item.EventType == "stack-event";

    private static string Describe(SseItem<JsonElement> item) => $"{item.EventType} {item.EventId} {item.Data}";
}
