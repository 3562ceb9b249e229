using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Portal.Infra.Aws;

/// <summary>One error as a protocol reads it from a reply's body; what it leaves out is described from the HTTP status.</summary>
internal sealed record AwsErrorReply(string? Code, string? Message, string? Type = null, string? RequestId = null);

/// <summary>A successful reply's text and the request id AWS put in its headers.</summary>
internal sealed record AwsReply(string Body, string? RequestId);

/// <summary>Makes the exception a service's errors surface as (CloudFormation's callers catch their own type).</summary>
internal delegate AwsServiceException AwsErrorFactory(
    string action, string errorCode, string errorMessage, string? requestId, HttpStatusCode statusCode, string? errorType, int attempts);

/// <summary>
/// The wire under every AWS client, whatever its protocol: one signed POST per attempt to one endpoint, retried as the AWS
/// SDKs do (see <see cref="AwsClientOptions"/>) on throttling, 5xx, timeouts and connection failures when the call is
/// safe to repeat; each attempt bounded in time, each reply bounded in size. The protocol builds the request and reads
/// the error bodies; this reads everything else.
/// </summary>
internal sealed class AwsTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AwsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly AwsErrorFactory _errors;
    private readonly Func<string, CancellationToken, ValueTask>? _waitTurn;

    /// <param name="http">Must already sign (see <see cref="Signed"/>), and its handlers must not retry, because every
    /// retry has to be signed afresh.</param>
    /// <param name="service">The service as messages name it, e.g. <c>ECS</c>.</param>
    /// <param name="errors">The exception its errors become; <see cref="AwsServiceException"/> when null.</param>
    /// <param name="waitTurn">Awaited before every attempt with the action's name: the account's call budget (retries spend it too).</param>
    public AwsTransport(
        HttpClient http, bool ownsHttp, Uri endpoint, string service, AwsClientOptions? options, TimeProvider? time, AwsErrorFactory? errors = null,
        Func<string, CancellationToken, ValueTask>? waitTurn = null)
    {
        if (!endpoint.IsAbsoluteUri)
            throw new ArgumentException($"The {service} endpoint must be an absolute URL (got '{endpoint}').", nameof(endpoint));
        _options = options ?? new AwsClientOptions();
        _options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _time = time ?? TimeProvider.System;
        _waitTurn = waitTurn;
        _errors = errors ?? ((action, code, message, requestId, status, type, attempts) =>
            new AwsServiceException(service, action, code, message, requestId, status, type, attempts));
        Endpoint = endpoint;
        Service = service;
    }

    public Uri Endpoint { get; }

    public string Service { get; }

    /// <summary>
    /// An HttpClient that signs every request with SigV4 for <paramref name="region"/> and <paramref name="signingService"/>
    /// through AWSSDK.Core's <see cref="SigV4SigningHandler"/>; <paramref name="credentials"/> are resolved on every send,
    /// so refreshing credentials (an assumed role) stay fresh.
    /// </summary>
    public static HttpClient Signed(AWSCredentials credentials, string region, string signingService, HttpMessageHandler? transport)
    {
        // Redirects must not be followed below the signer: a redirected hop would carry a stale signature.
        transport ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), signingService, transport);
        // Timeouts are per attempt (AwsClientOptions.AttemptTimeout), not per HttpClient call.
        return new HttpClient(signer) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Sends <paramref name="action"/> until it succeeds, fails for good or runs out of attempts. <paramref name="request"/>
    /// makes a fresh message per attempt (the signer stamps each one with its own time and signature);
    /// <paramref name="readError"/> reads the protocol's error reply, or returns null for a body that is none.
    /// </summary>
    public async Task<AwsReply> SendAsync(
        string action, Func<HttpRequestMessage> request, Func<HttpResponseMessage, string, AwsErrorReply?> readError, bool retryable, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = !retryable || attempt >= _options.MaxAttempts;
            // Before the attempt's own timeout starts: waiting for the budget is not the endpoint being slow.
            if (_waitTurn is not null)
                await _waitTurn(action, cancellationToken);
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                using var message = request();
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
                var body = await ReadBodyAsync(action, response, attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                    return new AwsReply(body, HeaderRequestId(response));
                var error = Error(action, response, body, readError, attempt);
                if (last || !error.IsTransient)
                    throw error;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (last)
                    throw new TimeoutException(
                        $"{Service} {action} at {Endpoint} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s ({Tries(attempt)}).");
            }
            catch (HttpRequestException ex)
            {
                if (last)
                    throw new HttpRequestException(
                        $"{Service} {action}: could not reach {Endpoint} ({Tries(attempt)}): {ex.Message}", ex, ex.StatusCode);
            }
            await Task.Delay(_options.Backoff(attempt - 1), _time, cancellationToken);
        }
    }

    /// <summary>A reply that arrived whole but cannot be read as the protocol promises.</summary>
    public AwsServiceException Malformed(string action, string detail, string? requestId) =>
        _errors(action, "MalformedResponse", $"Unreadable reply: {detail}", requestId, HttpStatusCode.OK, null, 1);

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private static string Tries(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static string? HeaderRequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;

    /// <summary>
    /// The reply's text, read no further than <see cref="AwsClientOptions.MaxReplyBytes"/>: a longer reply (a proxy's
    /// endless answer, a hostile endpoint) is refused as <c>ReplyTooLarge</c> instead of filling memory.
    /// </summary>
    private async Task<string> ReadBodyAsync(string action, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxReplyBytes;
        if (response.Content.Headers.ContentLength > max)
            throw TooLarge(action, response, max);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                    throw TooLarge(action, response, max);
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            using var text = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return await text.ReadToEndAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            // The connection broke mid-reply: as worth retrying as one that broke before the reply began.
            throw new HttpRequestException($"the reply broke off: {ex.Message}", ex);
        }
    }

    private AwsServiceException TooLarge(string action, HttpResponseMessage response, long max) => _errors(
        action, "ReplyTooLarge", $"Unreadable reply: more than {max:N0} bytes ({AwsClientOptions.Section}:MaxReplyBytes).",
        HeaderRequestId(response), response.StatusCode, null, 1);

    private AwsServiceException Error(
        string action, HttpResponseMessage response, string body, Func<HttpResponseMessage, string, AwsErrorReply?> readError, int attempt)
    {
        var headerRequestId = HeaderRequestId(response);
        if (readError(response, body) is not { } error)
        {
            // Not an AWS error document (a proxy's HTML page, an empty 503): described from the status.
            var snippet = body.Length > 200 ? body[..200] + "…" : body;
            return _errors(action, response.StatusCode.ToString(),
                string.IsNullOrWhiteSpace(snippet) ? response.ReasonPhrase ?? "no body" : snippet,
                headerRequestId, response.StatusCode, null, attempt);
        }
        return _errors(action, error.Code ?? response.StatusCode.ToString(), error.Message ?? "",
            error.RequestId ?? headerRequestId, response.StatusCode, error.Type, attempt);
    }
}
