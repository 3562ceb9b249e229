using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Infra.Aws;

/// <summary>
/// The AWS JSON 1.1 protocol (ECS, CloudWatch Logs): a POST per call naming the operation in
/// <c>X-Amz-Target: &lt;prefix&gt;.&lt;Action&gt;</c>, the request and the reply as JSON with AWS's member names
/// (camelCase), errors as <c>{"__type": "…#Code", "message": "…"}</c>. Requests and replies are the clients' records,
/// written and read by their property names in camelCase, so a record's members are the API's.
/// </summary>
internal sealed class JsonProtocol(AwsTransport transport, string targetPrefix)
{
    public const string ContentType = "application/x-amz-json-1.1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        // A reply that sends null where the API promises a value is malformed, not a record with a null in it.
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        // Replies are bounded in size (AwsClientOptions.MaxReplyBytes); this bounds their nesting too.
        MaxDepth = 32,
    };

    /// <summary>Sends <paramref name="request"/> as <paramref name="action"/> and reads the reply as <typeparamref name="TReply"/>.</summary>
    public async Task<(TReply Reply, string? RequestId)> SendAsync<TRequest, TReply>(
        string action, TRequest request, bool retryable, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        var sent = await transport.SendAsync(action, () => new HttpRequestMessage(HttpMethod.Post, transport.Endpoint)
        {
            Headers = { { "X-Amz-Target", $"{targetPrefix}.{action}" } },
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(ContentType) } },
        }, ReadError, retryable, cancellationToken);
        try
        {
            return (JsonSerializer.Deserialize<TReply>(sent.Body, Json) ?? throw new JsonException("the reply is null"), sent.RequestId);
        }
        catch (JsonException ex)
        {
            throw transport.Malformed(action, ex.Message, sent.RequestId);
        }
    }

    /// <summary>
    /// <c>__type</c> names the error, sometimes behind its namespace (<c>com.amazonaws.ecs#ClientException</c>) or followed by
    /// a ':'-separated suffix; where the body has none, the <c>x-amzn-ErrorType</c> header may.
    /// </summary>
    private static AwsErrorReply? ReadError(HttpResponseMessage response, string body)
    {
        string? type = null, message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                        continue;
                    if (property.NameEquals("__type"))
                        type = property.Value.GetString();
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                        message = property.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not a JSON error document: the header may still name the error, else the status describes it.
        }
        type ??= response.Headers.TryGetValues("x-amzn-ErrorType", out var header) ? header.FirstOrDefault() : null;
        return type is null ? null : new AwsErrorReply(Code(type), message);
    }

    private static string Code(string type)
    {
        var code = type.Split(':')[0];
        return code[(code.LastIndexOf('#') + 1)..];
    }
}
