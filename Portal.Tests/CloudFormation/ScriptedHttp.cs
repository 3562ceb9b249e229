using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Portal.Tests.CloudFormation;

/// <summary>What the client put on the wire: the form fields and the headers, after signing.</summary>
public sealed record SentRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Headers)
{
    public string Action => Form["Action"];
}

/// <summary>
/// Stands in for the network below the signer: records each request and answers from a script
/// (one reply per request, in order; the last reply repeats).
/// </summary>
public sealed class ScriptedHttp : HttpMessageHandler
{
    private readonly List<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = [];
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public IReadOnlyList<SentRequest> Sent => _sent.ToList();

    public ScriptedHttp Reply(string xml, HttpStatusCode status = HttpStatusCode.OK) =>
        Then((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") }));

    public ScriptedHttp Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply)
    {
        _script.Add(reply);
        return this;
    }

    public ScriptedHttp Fail(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var index = _sent.Count;
        _sent.Enqueue(new SentRequest(request.Method, request.RequestUri!, ParseForm(body), headers));
        return await _script[Math.Min(index, _script.Count - 1)](request, cancellationToken);
    }

    public static IReadOnlyDictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Decode(p[0]), p => p.Length > 1 ? Decode(p[1]) : "");

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
