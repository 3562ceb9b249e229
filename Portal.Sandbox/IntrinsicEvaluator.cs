using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// Renders template values as CloudFormation would at deploy time: Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
/// Fn::Select, Fn::Split, Fn::GetAZs, Fn::If and the condition functions, Fn::FindInMap, Fn::Base64, with
/// pseudo parameters, parameter values and the physical ids and attributes of resources already created.
/// </summary>
internal sealed class IntrinsicEvaluator(
    SandboxTemplate template,
    StackIdentity stack,
    IReadOnlyDictionary<string, string> parameterValues,
    IReadOnlyDictionary<string, DeployedResource> resources)
{
    // Stands for AWS::NoValue while building a value; dropped from its parent, never attached to one.
    private static readonly JsonValue NoValueMarker = JsonValue.Create("AWS::NoValue")!;

    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conditionsInProgress = new(StringComparer.Ordinal);

    public JsonNode? Evaluate(JsonNode? node)
    {
        var value = Eval(node);
        return ReferenceEquals(value, NoValueMarker) ? null : value;
    }

    public string EvaluateString(JsonNode? node) => Text(Eval(node), "value");

    public bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known))
            return known;
        if (template.Conditions[name] is not { } definition)
            throw TemplateError($"Unresolved condition dependency {name}");
        if (!_conditionsInProgress.Add(name))
            throw TemplateError($"Circular condition dependency involving {name}");
        var value = Truth(Eval(definition), name);
        _conditionsInProgress.Remove(name);
        return _conditions[name] = value;
    }

    private JsonNode? Eval(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value:
                return value.DeepClone();
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    var evaluated = Eval(item);
                    if (!ReferenceEquals(evaluated, NoValueMarker))
                        items.Add(evaluated);
                }
                return items;
            case JsonObject obj when obj.Count == 1 && obj.First() is var (name, args) && IsFunction(name, args):
                return Function(name, args);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, member) in obj)
                {
                    var evaluated = Eval(member);
                    if (!ReferenceEquals(evaluated, NoValueMarker))
                        result[key] = evaluated;
                }
                return result;
            default:
                throw new InvalidOperationException($"Unexpected JSON node {node.GetType().Name}");
        }
    }

    // {"Condition": "Name"} names a condition; IAM policy statements also have "Condition" members, but objects.
    private static bool IsFunction(string name, JsonNode? args) =>
        name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal) || (name == "Condition" && args is JsonValue);

    private JsonNode? Function(string name, JsonNode? args) => name switch
    {
        "Ref" => Ref(Text(args, name)),
        "Fn::GetAtt" => GetAtt(args),
        "Fn::Join" => Join(args),
        "Fn::Sub" => Sub(args),
        "Fn::Select" => Select(args),
        "Fn::Split" when args is JsonArray and [var delimiter, var source] =>
            new JsonArray(Text(Eval(source), name).Split(Text(Eval(delimiter), name)).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        "Fn::GetAZs" => GetAzs(Text(Eval(args), name)),
        "Fn::If" when args is JsonArray and [var condition, var whenTrue, var whenFalse] =>
            Condition(Text(condition, name)) ? Eval(whenTrue) : Eval(whenFalse),
        "Fn::Equals" when args is JsonArray and [var left, var right] =>
            JsonValue.Create(Canonical(Eval(left)) == Canonical(Eval(right))),
        "Fn::And" when args is JsonArray all => JsonValue.Create(all.All(c => Truth(Eval(c), name))),
        "Fn::Or" when args is JsonArray any => JsonValue.Create(any.Any(c => Truth(Eval(c), name))),
        "Fn::Not" when args is JsonArray and [var negated] => JsonValue.Create(!Truth(Eval(negated), name)),
        "Condition" => JsonValue.Create(Condition(Text(args, name))),
        "Fn::FindInMap" => FindInMap(args),
        "Fn::Base64" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(Eval(args), name)))),
        _ => throw TemplateError($"Unsupported or malformed function {name}"),
    };

    private JsonNode? Ref(string name)
    {
        if (name == TemplateReferences.NoValue)
            return NoValueMarker;
        if (name == "AWS::NotificationARNs")
            return new JsonArray();
        if (stack.PseudoParameters.TryGetValue(name, out var pseudo))
            return JsonValue.Create(pseudo);
        if (parameterValues.TryGetValue(name, out var parameter))
            return IsListParameter(name)
                ? new JsonArray(parameter.Split(',').Select(s => (JsonNode?)JsonValue.Create(s.Trim())).ToArray())
                : JsonValue.Create(parameter);
        return JsonValue.Create(Resource(name).PhysicalId);
    }

    private bool IsListParameter(string name) =>
        template.Parameters[name]?["Type"]?.ToString() is { } type &&
        (type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal));

    private JsonNode? GetAtt(JsonNode? args)
    {
        var reference = TemplateReferences.GetAttTarget(args) ?? throw TemplateError("Fn::GetAtt takes [LogicalId, AttributeName]");
        return Resource(reference.Target).Attribute(reference.Attribute!);
    }

    private DeployedResource Resource(string logicalId) =>
        resources.TryGetValue(logicalId, out var resource)
            ? resource
            : throw CloudFormationError.Validation($"Template format error: Unresolved resource dependencies [{logicalId}] in the Resources block of the template");

    private JsonNode Join(JsonNode? args)
    {
        if (args is not (JsonArray and [var delimiter, var list]) || Eval(list) is not JsonArray items)
            throw TemplateError("Fn::Join takes [delimiter, [values]]");
        var separator = Text(Eval(delimiter), "Fn::Join");
        return JsonValue.Create(string.Join(separator, items.Select(i => Text(i, "Fn::Join"))));
    }

    private JsonNode Sub(JsonNode? args)
    {
        var (text, variables) = args switch
        {
            JsonValue v => (v.ToString(), null),
            JsonArray and [JsonValue v, JsonObject map] => (v.ToString(), map),
            _ => throw TemplateError("Fn::Sub takes a string or [string, {variables}]"),
        };
        var output = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${", at, StringComparison.Ordinal) is var start and >= 0 && text.IndexOf('}', start + 2) is var end and >= 0)
        {
            output.Append(text, at, start - at);
            var name = text[(start + 2)..end].Trim();
            if (name.StartsWith('!'))
                output.Append("${").Append(name[1..]).Append('}');
            else if (variables?[name] is { } bound)
                output.Append(Text(Eval(bound), "Fn::Sub"));
            else if (name.IndexOf('.') is > 0 and var dot && !name.StartsWith("AWS::", StringComparison.Ordinal))
                output.Append(Text(Resource(name[..dot]).Attribute(name[(dot + 1)..]), "Fn::Sub"));
            else
                output.Append(Text(Ref(name), "Fn::Sub"));
            at = end + 1;
        }
        output.Append(text, at, text.Length - at);
        return JsonValue.Create(output.ToString());
    }

    private JsonNode? Select(JsonNode? args)
    {
        if (args is not (JsonArray and [var indexNode, var listNode]) || Eval(listNode) is not JsonArray list)
            throw TemplateError("Fn::Select takes [index, [values]]");
        var indexText = Text(Eval(indexNode), "Fn::Select");
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= list.Count)
            throw TemplateError($"Fn::Select cannot select nonexistent value at index {indexText}");
        return list[index]?.DeepClone();
    }

    private JsonArray GetAzs(string region)
    {
        var name = region.Length == 0 ? stack.Region : region;
        return new JsonArray(JsonValue.Create($"{name}a"), JsonValue.Create($"{name}b"), JsonValue.Create($"{name}c"));
    }

    private JsonNode? FindInMap(JsonNode? args)
    {
        if (args is not (JsonArray and [var map, var top, var second]))
            throw TemplateError("Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]");
        var (m, t, s) = (Text(Eval(map), "Fn::FindInMap"), Text(Eval(top), "Fn::FindInMap"), Text(Eval(second), "Fn::FindInMap"));
        return template.Mappings[m]?[t]?[s]?.DeepClone() ?? throw TemplateError($"Unable to get mapping for {m}::{t}::{s}");
    }

    private static bool Truth(JsonNode? value, string where) => value switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) => parsed,
        _ => throw TemplateError($"{where} needs a condition that evaluates to true or false"),
    };

    private static string Canonical(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";

    private static string Text(JsonNode? value, string where) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => throw TemplateError($"{where} expects a string value here, not {value?.ToJsonString() ?? "null"}"),
    };

    private static CloudFormationError TemplateError(string message) => CloudFormationError.Validation($"Template error: {message}");
}
