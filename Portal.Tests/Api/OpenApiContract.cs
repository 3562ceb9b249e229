using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Tests.Api;

/// <summary>
/// What the OpenAPI document promises, whatever its schemas are called: the paths with every schema reference replaced
/// by the schema it names. Renaming a schema leaves this unchanged; changing a field, a type or a status code does not.
/// </summary>
public static class OpenApiContract
{
    private const string SchemaPrefix = "#/components/schemas/";

    public static string Of(JsonElement document)
    {
        var schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var found)
            ? found.EnumerateObject().ToDictionary(p => p.Name, p => p.Value)
            : [];
        var contract = new JsonObject
        {
            ["info"] = JsonNode.Parse(document.GetProperty("info").GetRawText()),
            ["paths"] = Resolve(document.GetProperty("paths"), schemas, ImmutableHashSet<string>.Empty),
        };
        return contract.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode? Resolve(JsonElement json, IReadOnlyDictionary<string, JsonElement> schemas, ImmutableHashSet<string> path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                if (json.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target && target.StartsWith(SchemaPrefix, StringComparison.Ordinal))
                {
                    var name = target[SchemaPrefix.Length..];
                    // A schema that contains itself is shown once; below it only that it recurs.
                    return path.Contains(name)
                        ? new JsonObject { ["recursive"] = true }
                        : Resolve(schemas[name], schemas, path.Add(name));
                }

                var result = new JsonObject();
                foreach (var property in json.EnumerateObject()) result[property.Name] = Resolve(property.Value, schemas, path);
                return result;
            case JsonValueKind.Array:
                return new JsonArray([.. json.EnumerateArray().Select(item => Resolve(item, schemas, path))]);
            default:
                return JsonValue.Create(json);
        }
    }
}
