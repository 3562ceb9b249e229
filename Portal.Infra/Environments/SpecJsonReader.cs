using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Infra.Environments;

/// <summary>
/// Checks a parsed JSON document against a <see cref="Shape"/>, reporting every structural problem (wrong type,
/// missing, null, unknown, duplicated, out of int range) with its path, and returns a copy holding only the
/// well-formed parts, which the serializer can then bind without failing.
/// </summary>
internal static class SpecJsonReader
{
    /// <summary>The well-formed copy of <paramref name="element"/>, or null when it has the wrong type altogether.</summary>
    public static JsonNode? Read(JsonElement element, Shape shape, string path, SpecErrorList errors)
    {
        switch (shape, element.ValueKind)
        {
            case (TextShape, JsonValueKind.String) when Text(element) is { } text:
                return JsonValue.Create(text);
            case (TextShape, JsonValueKind.String):
                errors.Add(new(At(path), $"The text escapes half of a surrogate pair (such as \\ud800 alone), which is not valid Unicode; expected {shape.Expected}."));
                return null;
            case (WholeNumberShape, JsonValueKind.Number) when element.TryGetInt32(out var number):
                return JsonValue.Create(number);
            case (WholeNumberShape, JsonValueKind.Number):
                var raw = element.GetRawText();
                // An integer that does not fit (99999999999, 1e99) is out of range; 80.5 is not a whole number.
                var huge = raw.All(c => char.IsAsciiDigit(c) || c == '-') ||
                           (element.TryGetDouble(out var value) && Math.Abs(value) > int.MaxValue && Math.Floor(value) == value);
                errors.Add(new(At(path), huge
                    ? $"The number {SpecText.Shorten(raw)} is far outside the accepted range; expected {shape.Expected}."
                    : $"Expected {shape.Expected}, but found {SpecText.Shorten(raw)}, which is not a whole number."));
                return null;
            case (ObjectShape objectShape, JsonValueKind.Object):
                return ReadObject(element, objectShape, path, errors);
            case (ListShape list, JsonValueKind.Array):
                var items = new JsonArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(ReadRequired(item, list.Item, SpecText.Item(path, index++), errors) ?? Placeholder(list.Item));
                }
                return items;
            case (MapShape map, JsonValueKind.Object):
                var entries = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var entryPath = SpecText.Member(path, property.Name);
                    if (entries.ContainsKey(property.Name))
                    {
                        errors.Add(new(entryPath, $"The {map.KeyKind} {SpecText.Quote(property.Name)} appears more than once; give it once."));
                        continue;
                    }
                    entries[property.Name] = ReadRequired(property.Value, map.Value, entryPath, errors) ?? Placeholder(map.Value);
                }
                return entries;
            default:
                errors.Add(new(At(path), $"Expected {shape.Expected}, but found {Describe(element)}{Hint(shape, element)}."));
                return null;
        }
    }

    private static JsonObject ReadObject(JsonElement element, ObjectShape shape, string path, SpecErrorList errors)
    {
        var result = new JsonObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var fieldPath = SpecText.Member(path, property.Name);
            var field = shape.Fields.FirstOrDefault(f => f.Name == property.Name);
            if (field is null)
            {
                errors.Add(new(fieldPath, UnknownField(property.Name, shape)));
            }
            else if (!seen.Add(field.Name))
            {
                errors.Add(new(fieldPath, $"The field {field.Name} appears more than once; give it once."));
            }
            else if (property.Value.ValueKind == JsonValueKind.Null && field.Nullable)
            {
                result[field.Name] = null;
            }
            else if (ReadRequired(property.Value, field.Shape, fieldPath, errors) is { } value)
            {
                result[field.Name] = value;
            }
        }
        foreach (var missing in shape.Fields.Where(f => f.Required && !seen.Contains(f.Name)))
        {
            errors.Add(new(SpecText.Member(path, missing.Name), $"The field is missing; expected {missing.Shape.Expected}."));
        }
        return result;
    }

    /// <summary>Like <see cref="Read"/>, but null is an error.</summary>
    private static JsonNode? ReadRequired(JsonElement element, Shape shape, string path, SpecErrorList errors)
    {
        if (element.ValueKind != JsonValueKind.Null)
        {
            return Read(element, shape, path, errors);
        }
        errors.Add(new(At(path), $"Must not be null; expected {shape.Expected}."));
        return null;
    }

    /// <summary>Stands in for a broken list item or map value so that later indexes and counts stay true.</summary>
    private static JsonNode Placeholder(Shape shape) => shape switch
    {
        ObjectShape => new JsonObject(),
        WholeNumberShape => JsonValue.Create(0),
        _ => JsonValue.Create(""),
    };

    private static string UnknownField(string name, ObjectShape shape)
    {
        var message = $"Unknown field {SpecText.Quote(name)}; the fields here are {SpecText.List(shape.Fields.Select(f => f.Name), "and")}.";
        var likely = shape.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        return likely is null ? message : $"{message} Field names are case-sensitive: did you mean {likely.Name}?";
    }

    private static string At(string path) => path.Length == 0 ? "$" : path;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Text(element) is { } text ? $"the string {SpecText.Quote(text)}" : "a string that is not valid Unicode",
        JsonValueKind.Number => $"the number {SpecText.Shorten(element.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>
    /// The string's text, or null when it escapes half of a surrogate pair: valid JSON, yet no .NET string can hold it
    /// (<see cref="JsonElement.GetString"/> throws).
    /// </summary>
    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Hint(Shape shape, JsonElement element) => (shape, element.ValueKind) switch
    {
        (TextShape, JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) => "; write it in quotes",
        (WholeNumberShape, JsonValueKind.String) when int.TryParse(Text(element), out _) => "; write the number without quotes",
        _ => "",
    };
}
