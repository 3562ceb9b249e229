using System.Text.Json.Nodes;

namespace Portal.Infra.Synthesis;

/// <summary>
/// The resources each resource of a template waits for, as CloudFormation orders a deploy: those it names in DependsOn,
/// Ref, Fn::GetAtt and Fn::Sub (<c>${X}</c>, <c>${X.Attribute}</c>). Parameters and pseudo parameters are no resources and
/// are left out. Reads the portal's own synthesized templates, so it does not validate them.
/// </summary>
internal static class TemplateDependencies
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(string templateJson)
    {
        var resources = JsonNode.Parse(templateJson)?["Resources"] as JsonObject ?? [];
        var declared = resources.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var dependencies = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (logicalId, resource) in resources)
        {
            var named = new HashSet<string>(StringComparer.Ordinal);
            Collect(resource?["Properties"], named);
            switch (resource?["DependsOn"])
            {
                case JsonValue one:
                    named.Add(one.ToString());
                    break;
                case JsonArray many:
                    named.UnionWith(many.OfType<JsonValue>().Select(m => m.ToString()));
                    break;
            }
            dependencies[logicalId] = [.. named.Where(declared.Contains).Order(StringComparer.Ordinal)];
        }
        return dependencies;
    }

    private static void Collect(JsonNode? node, HashSet<string> named)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function["Ref"] is JsonValue target:
                named.Add(target.ToString());
                break;
            case JsonObject { Count: 1 } function when function.TryGetPropertyValue("Fn::GetAtt", out var arguments):
                if (arguments is JsonArray { Count: > 0 } pair && pair[0] is JsonValue resource)
                    named.Add(resource.ToString());
                else if (arguments is JsonValue dotted)
                    named.Add(dotted.ToString().Split('.')[0]);
                break;
            case JsonObject { Count: 1 } function when function.TryGetPropertyValue("Fn::Sub", out var sub):
                var (text, variables) = sub switch
                {
                    JsonValue value => (value.ToString(), null),
                    JsonArray { Count: 2 } withMap => (withMap[0]?.ToString(), withMap[1] as JsonObject),
                    _ => (null, null),
                };
                foreach (var variable in SubVariables(text ?? ""))
                    if (variables?.ContainsKey(variable) != true)
                        named.Add(variable.Split('.')[0]);
                Collect(variables, named);
                break;
            case JsonObject other:
                foreach (var (_, value) in other)
                    Collect(value, named);
                break;
            case JsonArray items:
                foreach (var item in items)
                    Collect(item, named);
                break;
        }
    }

    /// <summary>The names in <c>${…}</c> of an Fn::Sub string; <c>${!Literal}</c> names nothing.</summary>
    private static IEnumerable<string> SubVariables(string text)
    {
        for (var at = text.IndexOf("${", StringComparison.Ordinal); at >= 0; at = text.IndexOf("${", at, StringComparison.Ordinal))
        {
            var end = text.IndexOf('}', at + 2);
            if (end < 0)
                yield break;
            var name = text[(at + 2)..end].Trim();
            if (!name.StartsWith('!'))
                yield return name;
            at = end + 1;
        }
    }
}
