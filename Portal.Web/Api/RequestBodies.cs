using System.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using Portal.Infra.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>The body of <c>/approve</c> and <c>/reject</c>. The comment is optional to approve and required to reject.</summary>
public sealed record DecisionRequest(string? Comment);

/// <summary>
/// Reads request bodies by hand instead of model binding, so that malformed JSON, unknown fields and wrong types
/// become 400s naming the field (<see cref="WorkflowException.Invalid"/>), never a bare 400 or a 500.
/// </summary>
internal static class RequestBodies
{
    /// <summary>The spec, read by <see cref="EnvironmentSpecJson.Parse"/>: every JSON and rule problem at once.</summary>
    public static async Task<EnvironmentSpec> ReadSpecAsync(
        HttpRequest request, IReadOnlyCollection<string> targets, CancellationToken cancellationToken)
    {
        var result = EnvironmentSpecJson.Parse(await ReadTextAsync(request, cancellationToken), targets);
        return result.IsValid
            ? result.Spec
            : throw WorkflowException.Invalid([.. result.Errors.Select(e => new FieldError(e.Path, e.Message))]);
    }

    /// <summary>
    /// The submit body: the spec plus an optional <c>expiresAt</c> (not part of the spec: it belongs to the environment,
    /// not to its stack). Spec and expiry problems are reported together.
    /// </summary>
    public static async Task<(EnvironmentSpec Spec, DateTimeOffset? ExpiresAt)> ReadSubmissionAsync(
        HttpRequest request, IReadOnlyCollection<string> targets, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        var errors = new List<FieldError>();
        DateTimeOffset? expiresAt = null;
        if (TakeProperty(ref text, ExpiryRules.Field) is { } value)
        {
            try
            {
                expiresAt = Timestamp(ExpiryRules.Field, value);
            }
            catch (WorkflowException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        var result = EnvironmentSpecJson.Parse(text, targets);
        errors.InsertRange(0, result.Errors.Select(e => new FieldError(e.Path, e.Message)));
        return errors.Count == 0 ? (result.Spec!, expiresAt) : throw WorkflowException.Invalid(errors);
    }

    /// <summary><c>{ "expiresAt": "2026-12-24T18:00:00Z" }</c>, the field required.</summary>
    public static async Task<DateTimeOffset> ReadExpiryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw Invalid("$", $"The body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}.");
        }

        if (root is not JsonObject body)
        {
            throw Invalid("$", "The body must be a JSON object such as { \"expiresAt\": \"2026-12-24T18:00:00Z\" }.");
        }

        List<string> unknown;
        try
        {
            // The object reads its properties only now: a name given twice, or escaping half a surrogate pair, throws here.
            unknown = [.. body.Select(p => p.Key).Where(k => k != ExpiryRules.Field)];
        }
        catch (ArgumentException)
        {
            throw Invalid("$", "A field is given twice; send each field once.");
        }
        catch (InvalidOperationException)
        {
            throw Invalid("$", NotUnicode);
        }

        if (unknown.Count > 0)
        {
            throw WorkflowException.Invalid([.. unknown.Select(k => new FieldError(k.Length <= 64 ? k : k[..40] + "…", $"Unknown field; the only field is \"{ExpiryRules.Field}\"."))]);
        }

        return body.TryGetPropertyValue(ExpiryRules.Field, out var value) && value is not null
            ? Timestamp(ExpiryRules.Field, value)
            : throw Invalid(ExpiryRules.Field, "Required: when the environment expires, e.g. \"2026-12-24T18:00:00Z\".");
    }

    /// <summary>
    /// Removes <paramref name="name"/> from a top-level JSON object and returns its value; the text is left alone (for
    /// the spec reader to report) when it is not such an object.
    /// </summary>
    private static JsonNode? TakeProperty(ref string text, string name)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject body && body.TryGetPropertyValue(name, out var value))
            {
                body.Remove(name);
                text = body.ToJsonString();
                return value ?? JsonValue.Create("");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Malformed or duplicate keys: the spec reader says what is wrong, with positions in the original text.
        }

        return null;
    }

    /// <summary>An ISO 8601 instant with its offset (<c>Z</c> or <c>+02:00</c>): a time without one would be a guess.</summary>
    private static DateTimeOffset Timestamp(string field, JsonNode value)
    {
        const string expected = "an ISO 8601 date and time with its offset, e.g. \"2026-12-24T18:00:00Z\"";
        if (value.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid(field, $"Expected {expected}, got {value.GetValueKind().ToString().ToLowerInvariant()}.");
        }

        string text;
        try
        {
            text = value.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            throw Invalid(field, NotUnicode);
        }

        var withOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return withOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToUniversalTime()
            : throw Invalid(field, $"Expected {expected}.");
    }

    /// <summary><c>{ "comment": "…" }</c>; an empty body is no comment.</summary>
    public static async Task<DecisionRequest> ReadDecisionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new DecisionRequest(null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Invalid("$", $"The body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("$", "The body must be a JSON object such as { \"comment\": \"looks good\" }.");
            }

            var errors = new List<FieldError>();
            string? comment = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.NameEquals("comment"))
                {
                    errors.Add(new FieldError(NameOf(property), "Unknown field; the only field is \"comment\"."));
                }
                else if (property.Value.ValueKind is JsonValueKind.String)
                {
                    comment = Text(property.Value) ?? throw Invalid("comment", NotUnicode);
                }
                else if (property.Value.ValueKind is not JsonValueKind.Null)
                {
                    errors.Add(new FieldError("comment", $"Expected a string, got {property.Value.ValueKind.ToString().ToLowerInvariant()}."));
                }
            }

            return errors.Count == 0 ? new DecisionRequest(comment) : throw WorkflowException.Invalid(errors);
        }
    }

    /// <summary>
    /// The body as text. Bodies of another media type never get here (the endpoints' <c>Accepts</c> metadata answers
    /// them with 415); JSON in another charset than UTF-8 (RFC 8259) or a body without a type is a 415 too, and one
    /// over <see cref="SpecLimits.MaxDocumentLength"/> characters a 413. The rest of an oversized body is read and
    /// dropped before answering (up to the server's own limit): a client still sending when the connection closed
    /// would see a reset instead of the answer.
    /// </summary>
    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.Charset.HasValue &&
            !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnreadableBodyException(StatusCodes.Status415UnsupportedMediaType,
                $"The body is declared as {mediaType.Charset}; JSON is sent as UTF-8 (charset=utf-8, or no charset).");
        }

        var text = new StringBuilder();
        var tooLarge = false;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            var chunk = new char[16 * 1024];
            int read;
            while (text.Length <= SpecLimits.MaxDocumentLength && (read = await reader.ReadAsync(chunk, cancellationToken)) > 0)
            {
                text.Append(chunk, 0, read);
            }
            tooLarge = text.Length > SpecLimits.MaxDocumentLength;
            if (tooLarge)
            {
                await request.Body.CopyToAsync(Stream.Null, cancellationToken);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Past the server's own limit (Kestrel's MaxRequestBodySize): it closes the connection after the answer.
            tooLarge = true;
        }

        if (tooLarge)
        {
            throw new UnreadableBodyException(StatusCodes.Status413PayloadTooLarge,
                $"The body is longer than {SpecLimits.MaxDocumentLength:N0} characters; a spec or a decision is a few KB.");
        }

        // Routing lets a request without Content-Type through (an empty approval is fine); a body needs one.
        return text.Length > 0 && string.IsNullOrEmpty(request.ContentType)
            ? throw new UnreadableBodyException(StatusCodes.Status415UnsupportedMediaType,
                "The body has no Content-Type; send it as application/json.")
            : text.ToString();
    }

    /// <summary>A string as .NET text, or null when it escapes half a surrogate pair (\ud800 alone), which is no text.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// A property's name as an error key: cut to 40 characters (a megabyte of name is not echoed back), or <c>$</c> when
    /// the name itself is no text (see <see cref="Text"/>).
    /// </summary>
    private static string NameOf(JsonProperty property)
    {
        try
        {
            var name = property.Name;
            return name.Length <= 64 ? name : $"{name[..40]}… ({name.Length:N0} characters)";
        }
        catch (InvalidOperationException)
        {
            return "$";
        }
    }

    private const string NotUnicode = "The text escapes half of a surrogate pair (such as \\ud800 alone), which is not valid Unicode.";

    private static WorkflowException Invalid(string field, string message) => WorkflowException.Invalid([new FieldError(field, message)]);
}

/// <summary>
/// A body the API cannot read at all: too large (413) or not UTF-8 (415). Answered as a problem with <c>errors</c>
/// under <c>$</c>, like a malformed body.
/// </summary>
internal sealed class UnreadableBodyException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
