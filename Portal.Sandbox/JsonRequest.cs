using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>The members of a JSON 1.1 request, each checked for its type and bounds (InvalidParameterException otherwise).</summary>
internal sealed class JsonRequest(JsonObject body)
{
    public string? String(string name, int maxLength)
    {
        switch (body[name])
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Length > maxLength)
                    throw Invalid($"{name} must have length less than or equal to {maxLength}.");
                return text.Length == 0 ? null : text;
            default:
                throw Invalid($"{name} must be a string.");
        }
    }

    public string RequiredString(string name, int maxLength) => String(name, maxLength) ?? throw Invalid($"{name} must not be empty.");

    public IReadOnlyList<string> Strings(string name, int maxCount, int maxLength)
    {
        if (body[name] is null)
            return [];
        if (body[name] is not JsonArray items || items.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            throw Invalid($"{name} must be a list of strings.");
        if (items.Count > maxCount)
            throw Invalid($"{name} can have at most {maxCount} items.");
        var values = items.Select(i => i!.GetValue<string>()).ToList();
        if (values.Any(v => v.Length > maxLength))
            throw Invalid($"Each of {name} must have length less than or equal to {maxLength}.");
        return values;
    }

    public long? Number(string name, long minimum, long maximum)
    {
        switch (body[name])
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number):
                if (number < minimum || number > maximum)
                    throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}."));
                return number;
            default:
                throw Invalid($"{name} must be a whole number.");
        }
    }

    public bool? Flag(string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        _ => throw Invalid($"{name} must be true or false."),
    };

    public static CloudFormationError Invalid(string message) => new(HttpStatusCode.BadRequest, "InvalidParameterException", message);
}
