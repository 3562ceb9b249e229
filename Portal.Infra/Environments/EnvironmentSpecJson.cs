using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Portal.Infra.Environments;

/// <summary>The outcome of reading a spec: the spec when it is valid, else every problem found.</summary>
public sealed record SpecParseResult(EnvironmentSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    [MemberNotNullWhen(true, nameof(Spec))]
    public bool IsValid => Spec is not null;
}

/// <summary>The JSON form of <see cref="EnvironmentSpec"/> (docs/SPEC.md): camelCase, unknown fields rejected.</summary>
public static class EnvironmentSpecJson
{
    /// <summary>
    /// The one set of options for specs, for anyone binding or writing them (API, storage, CLI). Strict on input:
    /// exact camelCase names, no unknown or duplicate fields, no null where the record has no null, numbers as
    /// numbers. The spec has no enums; should one appear, add a <see cref="JsonStringEnumConverter"/> here.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Indented JSON (specs are read and diffed by people); tag/digest and other absent values left out.</summary>
    public static string Serialize(EnvironmentSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>
    /// Reads and validates a spec. Never throws on bad input: malformed JSON, wrong types, missing, null,
    /// unknown or duplicated fields and out-of-range numbers are reported with their field paths, together with
    /// every validation rule the readable parts break (<see cref="EnvironmentSpecValidator"/>).
    /// </summary>
    /// <param name="knownTargets">The configured target names; when given, the target must be one of them.</param>
    public static SpecParseResult Parse(string? json, IReadOnlyCollection<string>? knownTargets = null)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Failed("The spec is empty; expected a JSON object describing an environment.");
        }
        if (json.Length > SpecLimits.MaxDocumentLength)
        {
            return Failed($"The spec is {json.Length:N0} characters long; at most {SpecLimits.MaxDocumentLength:N0} are accepted.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = SpecLimits.MaxDocumentDepth });
        }
        catch (JsonException e)
        {
            // The reader's own wording names the offending character; its position suffix is replaced by ours.
            var reason = e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            return Failed($"The spec is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {reason}.");
        }
        catch (ArgumentException)
        {
            return Failed("The spec contains text that is not valid Unicode (an unpaired surrogate character).");
        }
        using (document)
        {
            var errors = new SpecErrorList();
            JsonNode? read;
            try
            {
                read = SpecJsonReader.Read(document.RootElement, SpecSchema.Spec, "", errors);
            }
            catch (InvalidOperationException)
            {
                // A field name escaping half a surrogate pair (values are reported with their path by the reader).
                return Failed("A field name escapes half of a surrogate pair (such as \\ud800 alone), which is not valid Unicode.");
            }
            // Past the error cap, the rules' findings would not be shown anyway.
            if (read is not JsonObject wellFormed || errors.Count >= SpecLimits.MaxErrors)
            {
                return new(null, errors.ToList());
            }
            var spec = wellFormed.Deserialize<EnvironmentSpec>(Options)!;
            errors.IgnoreWhatIsReported();
            EnvironmentSpecValidator.Collect(spec, knownTargets, errors);
            return errors.Count == 0 ? new(spec, []) : new(null, errors.ToList());
        }
    }

    private static SpecParseResult Failed(string message) => new(null, [new("$", message)]);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = SpecLimits.MaxDocumentDepth,
            WriteIndented = true,
            // Specs are stored and shown as text, never embedded raw in HTML; keep ARNs' '+' and '=' readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
