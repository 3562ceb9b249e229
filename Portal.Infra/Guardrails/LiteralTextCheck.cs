using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Guardrails;

/// <summary>
/// Guardrail: text from the spec or from the requester reaches the template only as text. Fails on a CloudFormation
/// dynamic reference or a CDK token's encoding in any string of the template (keys included), and on anything (an
/// intrinsic function such as Ref, Fn::GetAtt, Fn::Sub or Fn::ImportValue, an object, a list, a number) standing where
/// the stack's own construction puts text. Behind the spec's validation, which refuses such text before it is stored.
/// </summary>
/// <remarks>
/// "Where the construction puts text" is found by synthesizing the request a second time with every string replaced
/// by an inert placeholder (<see cref="InertText"/>): text reaches a template only through its strings, and an inert
/// string can only stay a string, so the structure of that twin template is the construction's own. The two templates
/// must then have the same structure: the same keys, lists of the same lengths, the same numbers and booleans, the
/// same Ref and Fn::GetAtt targets and DependsOn entries, and a string wherever the twin has one (what the other strings
/// say may differ: that is the text). The alternative, an allow-list of (resource type, property path) that may hold
/// an intrinsic, would be written by hand from CDK's output, drift with every change to the stack or to CDK, and still
/// pass a reference injected into a path the construction uses for one of its own (an environment variable's value,
/// where BACKEND_URL legitimately holds Fn::Join and Fn::GetAtt). The twin costs one more synth, in the same turn of
/// the jsii runtime as the plan's own (<see cref="PlanGuardrails.SynthesizeAndCheckAsync"/>). A placeholder that
/// missed a branch of the construction would make the templates differ and fail the plan: a false alarm, which the
/// tests synthesizing the samples both ways would show.
/// </remarks>
public static class LiteralTextCheck
{
    public const string Name = "LiteralTextCheck";

    private const int ShownLength = 200;

    /// <summary>Keys under which strings are template structure, compared exactly: logical ids, attribute names, types.</summary>
    private static readonly HashSet<string> StructuralKeys = new(StringComparer.Ordinal) { "Ref", "Fn::GetAtt", "DependsOn", "Type", "Condition" };

    /// <param name="templateJson">The template under review.</param>
    /// <param name="inertTemplateJson">The template of the same request with inert text (<see cref="InertText"/>).</param>
    /// <exception cref="ArgumentException">Either text is not JSON.</exception>
    public static GuardrailResult Check(string templateJson, string inertTemplateJson)
    {
        var template = Parse(templateJson, nameof(templateJson));
        var findings = new List<GuardrailFinding>();
        foreach (var (path, text) in Strings(template, []))
        {
            if (TemplateSyntax.Describe(text) is { } what)
                findings.Add(Finding(path, $"holds {what}. The stack writes none itself: text from the spec or from the requester brought it in."));
        }
        Compare(template, Parse(inertTemplateJson, nameof(inertTemplateJson)), [], exact: false, findings);
        return GuardrailResult.From(Name, findings);
    }

    private static JsonNode? Parse(string json, string parameter)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The template is not valid JSON: {e.Message}", parameter, e);
        }
    }

    /// <summary>Every string of the template, object keys included, with where it is.</summary>
    private static IEnumerable<(IReadOnlyList<string> Path, string Text)> Strings(JsonNode? node, IReadOnlyList<string> path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    IReadOnlyList<string> at = [.. path, key];
                    yield return (at, key);
                    foreach (var inner in Strings(value, at)) yield return inner;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    foreach (var inner in Strings(array[i], [.. path, $"[{i}]"])) yield return inner;
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                yield return (path, value.GetValue<string>());
                break;
        }
    }

    /// <summary>Adds a finding for each place where <paramref name="actual"/>'s structure differs from the construction's.</summary>
    private static void Compare(JsonNode? actual, JsonNode? construction, IReadOnlyList<string> path, bool exact, List<GuardrailFinding> findings)
    {
        switch (actual, construction)
        {
            case (JsonObject a, JsonObject c) when a.Select(p => p.Key).Order(StringComparer.Ordinal)
                .SequenceEqual(c.Select(p => p.Key).Order(StringComparer.Ordinal)):
                foreach (var (key, value) in a)
                    Compare(value, c[key], [.. path, key], exact || StructuralKeys.Contains(key), findings);
                return;
            case (JsonArray a, JsonArray c) when a.Count == c.Count:
                for (var i = 0; i < a.Count; i++)
                    Compare(a[i], c[i], [.. path, $"[{i}]"], exact, findings);
                return;
            case (JsonValue a, JsonValue c) when a.GetValueKind() == JsonValueKind.String && c.GetValueKind() == JsonValueKind.String
                                                 && (!exact || a.GetValue<string>() == c.GetValue<string>()):
                return;
            case (JsonValue a, JsonValue c) when a.GetValueKind() != JsonValueKind.String && a.ToJsonString() == c.ToJsonString():
                return;
            case (null, null):
                return;
        }
        findings.Add(Finding(path, $"is {Show(actual)} where the stack itself puts {Kind(construction)}: text from the spec or from the " +
                                   "requester turned into template structure, as a CDK token does."));
    }

    /// <summary>A finding on the resource (or output, or template section) at <paramref name="path"/>, saying where in it.</summary>
    private static GuardrailFinding Finding(IReadOnlyList<string> path, string message)
    {
        var (owner, rest) = path switch
        {
            ["Resources" or "Outputs" or "Parameters" or "Conditions" or "Mappings", var id, ..] => (id, path.Skip(2)),
            [var section, ..] => (section, path.Skip(1)),
            _ => ("template", []),
        };
        var where = string.Concat(rest.Select((part, i) => part.StartsWith('[') || i == 0 ? part : "." + part));
        return new GuardrailFinding(owner, where.Length == 0 ? Capitalize(message) : $"{where} {message}");
    }

    private static string Kind(JsonNode? node) => node switch
    {
        JsonObject o => $"an object ({string.Join(", ", o.Select(p => p.Key))})",
        JsonArray a => $"a list of {a.Count}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "text",
        null => "nothing",
        _ => node.ToJsonString(),
    };

    private static string Show(JsonNode? node)
    {
        var json = node?.ToJsonString() ?? "nothing";
        return json.Length > ShownLength ? json[..ShownLength] + "…" : json;
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
