using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>How a template value names another entity.</summary>
internal enum ReferenceKind { Ref, GetAtt, Sub }

/// <summary>A Ref / Fn::GetAtt / Fn::Sub variable found in a template value.</summary>
internal sealed record TemplateReference(ReferenceKind Kind, string Target, string? Attribute)
{
    /// <summary>As CloudFormation names the causing entity in a change set: "X" or "X.Attr".</summary>
    public string Entity => Attribute is null ? Target : $"{Target}.{Attribute}";
}

/// <summary>Finds references inside template values (including both branches of Fn::If).</summary>
internal static class TemplateReferences
{
    public const string NoValue = "AWS::NoValue";

    public static readonly IReadOnlySet<string> PseudoParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::AccountId", "AWS::NotificationARNs", NoValue, "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    public static List<TemplateReference> Collect(JsonNode? node)
    {
        var found = new List<TemplateReference>();
        Collect(node, found);
        return found;
    }

    private static void Collect(JsonNode? node, List<TemplateReference> found)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.TryGetPropertyValue("Ref", out var target) && target is JsonValue:
                found.Add(new TemplateReference(ReferenceKind.Ref, target.ToString(), null));
                break;
            case JsonObject obj when obj.Count == 1 && obj.TryGetPropertyValue("Fn::GetAtt", out var args):
                if (GetAttTarget(args) is { } getAtt)
                    found.Add(getAtt);
                else
                    Collect(args, found);
                break;
            case JsonObject obj when obj.Count == 1 && obj.TryGetPropertyValue("Fn::Sub", out var sub):
                CollectSub(sub, found);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                    Collect(value, found);
                break;
            case JsonArray array:
                foreach (var item in array)
                    Collect(item, found);
                break;
        }
    }

    /// <summary>["X", "Attr"] or "X.Attr" (attribute names may themselves contain dots).</summary>
    public static TemplateReference? GetAttTarget(JsonNode? args) => args switch
    {
        JsonArray and [JsonValue resource, JsonValue attribute] when attribute.TryGetValue<string>(out var name) =>
            new TemplateReference(ReferenceKind.GetAtt, resource.ToString(), name),
        JsonValue value when value.TryGetValue<string>(out var dotted) && dotted.IndexOf('.') is > 0 and var dot =>
            new TemplateReference(ReferenceKind.GetAtt, dotted[..dot], dotted[(dot + 1)..]),
        _ => null,
    };

    private static void CollectSub(JsonNode? sub, List<TemplateReference> found)
    {
        var (text, variables) = sub switch
        {
            JsonValue v => (v.ToString(), null),
            JsonArray and [JsonValue v, JsonObject map] => (v.ToString(), map),
            _ => ((string?)null, (JsonObject?)null),
        };
        if (text is null)
        {
            Collect(sub, found);
            return;
        }
        foreach (var variable in SubVariables(text))
        {
            if (variables?.ContainsKey(variable) == true)
                continue;
            var dot = variable.IndexOf('.');
            found.Add(dot > 0 && !variable.StartsWith("AWS::", StringComparison.Ordinal)
                ? new TemplateReference(ReferenceKind.Sub, variable[..dot], variable[(dot + 1)..])
                : new TemplateReference(ReferenceKind.Sub, variable, null));
        }
        if (variables is not null)
            Collect(variables, found);
    }

    /// <summary>The <c>${Name}</c> variables of an Fn::Sub string; <c>${!Literal}</c> is not a variable.</summary>
    public static IEnumerable<string> SubVariables(string text)
    {
        var at = 0;
        while ((at = text.IndexOf("${", at, StringComparison.Ordinal)) >= 0)
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
