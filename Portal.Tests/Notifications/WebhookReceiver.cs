using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Notifications;

/// <summary>
/// A Slack-like incoming webhook on 127.0.0.1: records every POST (path and JSON body) and answers 200, or an error
/// status (500 unless told) for as many requests as <see cref="FailNext"/> asked.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failures;
    private int _failureStatus = 500;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Every request, in arrival order, with the status it was answered with.</summary>
    public ConcurrentQueue<(string Path, int Status, JsonElement Body)> Requests { get; } = new();

    public IEnumerable<JsonElement> Delivered => Requests.Where(r => r.Status == 200).Select(r => r.Body);

    public void FailNext(int count, int status = 500)
    {
        Volatile.Write(ref _failureStatus, status);
        Interlocked.Exchange(ref _failures, count);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            var status = Interlocked.Decrement(ref receiver._failures) >= 0 ? Volatile.Read(ref receiver._failureStatus) : 200;
            receiver.Requests.Enqueue((request.Path.Value!, status, body));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address + "/");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
