using System.Text;
using System.Text.Json;
using Portal.Infra.Environments;
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
                if (property.Name != "comment")
                {
                    errors.Add(new FieldError(property.Name, "Unknown field; the only field is \"comment\"."));
                }
                else if (property.Value.ValueKind is JsonValueKind.String)
                {
                    comment = property.Value.GetString();
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
    /// The body as text, at most one character past the spec's size cap (the parser then names the limit). Bodies of
    /// another media type never get here: the endpoints' <c>Accepts</c> metadata answers them with 415.
    /// </summary>
    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = new StringBuilder();
        var chunk = new char[16 * 1024];
        int read;
        while (text.Length <= SpecLimits.MaxDocumentLength && (read = await reader.ReadAsync(chunk, cancellationToken)) > 0)
        {
            text.Append(chunk, 0, read);
        }

        return text.ToString();
    }

    private static WorkflowException Invalid(string field, string message) => WorkflowException.Invalid([new FieldError(field, message)]);
}
