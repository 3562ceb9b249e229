using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>
/// <c>GET /api/environments/{name}/events/stream</c>: the environment's stack events as Server-Sent Events
/// (<c>id: &lt;event id&gt;</c>, <c>event: stack-event</c>, <c>data: &lt;json&gt;</c>), the stored ones first, then live.
/// It wakes on the <see cref="StackEventFeed"/> (jobs of this process, and on PostgreSQL of any process) and re-reads
/// the database every <see cref="LiveEventsOptions.CatchUpInterval"/> in case no notice came; <c>event: status</c> announces the environment's and its current revision's
/// status whenever they change, and a comment every 15 s of silence keeps proxies from closing the connection.
/// Runs until the client disconnects or the host stops.
/// </summary>
internal sealed class StackEventStream(string environment, long afterId) : IResult
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Where to resume: the <c>Last-Event-ID</c> header a reconnecting EventSource sends, else <c>?after=</c>, else
    /// from the first event. Either must be a stored event id (a non-negative integer).
    /// </summary>
    public static long ResumeAfter(HttpRequest request) =>
        request.Headers["Last-Event-ID"] is [{ } lastEventId]
            ? EventQuery.Cursor("Last-Event-ID", lastEventId)
            : EventQuery.Cursor("after", request.Query["after"]);

    public async Task ExecuteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var queries = services.GetRequiredService<StackEventQueries>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var catchUp = services.GetRequiredService<IOptions<LiveEventsOptions>>().Value.CatchUpInterval;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = stop.Token;
        using var subscription = new StackEventSubscription(services.GetRequiredService<StackEventFeed>(), environment);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and friends: pass each event on at once
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var cursor = afterId;
        DeploymentStatusView? announced = null;
        var quietSince = DateTime.UtcNow;
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancellationToken);
            while (true)
            {
                var wrote = false;
                IReadOnlyList<StackEventView> page;
                do
                {
                    page = await queries.AfterAsync(environment, cursor, StackEventQueries.MaxPage, cancellationToken);
                    foreach (var e in page)
                    {
                        await response.WriteAsync(
                            $"id: {e.Id.ToString(CultureInfo.InvariantCulture)}\nevent: stack-event\ndata: {JsonSerializer.Serialize(e.ToResource(), json)}\n\n",
                            cancellationToken);
                        cursor = e.Id;
                    }
                    wrote |= page.Count > 0;
                }
                while (page.Count == StackEventQueries.MaxPage);

                var status = await queries.StatusAsync(environment, cancellationToken);
                if (status != announced)
                {
                    await response.WriteAsync($"event: status\ndata: {JsonSerializer.Serialize(status?.ToResource(), json)}\n\n", cancellationToken);
                    announced = status;
                    wrote = true;
                }

                if (wrote)
                    quietSince = DateTime.UtcNow;
                else if (DateTime.UtcNow - quietSince >= HeartbeatInterval)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                    quietSince = DateTime.UtcNow;
                }

                await response.Body.FlushAsync(cancellationToken);
                await subscription.WaitAsync(catchUp, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && stop.IsCancellationRequested)
        {
            // the client went away, or the host is stopping: the stream ends; a client resumes with Last-Event-ID
        }
    }
}

/// <summary>The query parameters of the events endpoints, read by hand so a bad value is a 400 naming it.</summary>
internal static class EventQuery
{
    public static long Cursor(string field, string? value) =>
        string.IsNullOrEmpty(value) ? 0
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : throw Invalid(field, $"Expected an event id (a whole number, 0 or more), got \"{value}\".");

    public static int Limit(string? value) =>
        string.IsNullOrEmpty(value) ? StackEventQueries.MaxPage
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= StackEventQueries.MaxPage ? limit
        : throw Invalid("limit", $"Expected a whole number from 1 to {StackEventQueries.MaxPage}, got \"{value}\".");

    private static WorkflowException Invalid(string field, string message) => WorkflowException.Invalid([new FieldError(field, message)]);
}
