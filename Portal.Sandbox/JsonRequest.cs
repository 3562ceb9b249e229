using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The members of a JSON request, each checked for its type and bounds: refused with <paramref name="invalidCode"/>
/// (ECS's and CloudWatch Logs' InvalidParameterException unless given) and a message naming the member.
/// </summary>
internal sealed class JsonRequest(JsonObject body, string invalidCode = "InvalidParameterException")
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
                    throw Fail($"{name} must have length less than or equal to {maxLength}.");
                return text.Length == 0 ? null : text;
            default:
                throw Fail($"{name} must be a string.");
        }
    }

    public string RequiredString(string name, int maxLength) => String(name, maxLength) ?? throw Fail($"{name} must not be empty.");

    public IReadOnlyList<string> Strings(string name, int maxCount, int maxLength)
    {
        if (body[name] is null)
            return [];
        if (body[name] is not JsonArray items || items.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            throw Fail($"{name} must be a list of strings.");
        if (items.Count > maxCount)
            throw Fail($"{name} can have at most {maxCount} items.");
        var values = items.Select(i => i!.GetValue<string>()).ToList();
        if (values.Any(v => v.Length > maxLength))
            throw Fail($"Each of {name} must have length less than or equal to {maxLength}.");
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
                    throw Fail(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}."));
                return number;
            default:
                throw Fail($"{name} must be a whole number.");
        }
    }

    public bool? Flag(string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        _ => throw Fail($"{name} must be true or false."),
    };

    /// <summary>The members of a list of objects (batch entries), each its own request.</summary>
    public IReadOnlyList<JsonRequest> Objects(string name, int maxCount)
    {
        if (body[name] is null)
            return [];
        if (body[name] is not JsonArray items || items.Any(i => i is not JsonObject))
            throw Fail($"{name} must be a list of objects.");
        if (items.Count > maxCount)
            throw Fail($"{name} can have at most {maxCount} items.");
        return [.. items.Select(i => new JsonRequest(i!.AsObject(), invalidCode))];
    }

    /// <summary>Whether the request has the member at all.</summary>
    public bool Has(string name) => body.ContainsKey(name);

    public CloudFormationError Fail(string message) => new(HttpStatusCode.BadRequest, invalidCode, message);

    public static CloudFormationError Invalid(string message) => new(HttpStatusCode.BadRequest, "InvalidParameterException", message);
}
