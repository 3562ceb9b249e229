namespace Portal.Jobs.Notifications;

/// <summary>
/// The HTTP client for webhooks: 10 s per attempt, and none of IHttpClientFactory's logging, which would write the
/// full URL (the secret) on every request.
/// </summary>
public sealed class WebhookClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public Task<HttpResponseMessage> PostAsync(Uri url, HttpContent content, CancellationToken cancellationToken) =>
        _http.PostAsync(url, content, cancellationToken);

    public void Dispose() => _http.Dispose();
}
