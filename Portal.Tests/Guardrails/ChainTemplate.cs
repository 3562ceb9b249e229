using System.Text.Json.Nodes;

namespace Portal.Tests.Guardrails;

/// <summary>
/// The fixture templates and edits on them. The fixtures are TwoTierEnvironment synthesized with CDK 2.160.0:
/// orders-dev is docs/SPEC.md's example spec (frontend 3000, backend 8080 behind listener 80),
/// billing-test another spec (frontend 8080, backend 9000 behind listener 8443). Logical ids are CDK's own.
/// </summary>
internal static class ChainTemplate
{
    public const string PublicAlb = "PublicAlb84330974";
    public const string InternalAlb = "InternalAlb58CEEAE8";
    public const string PublicListener = "PublicAlbHttpListener347FBA68";
    public const string FrontendService = "FrontendServiceBC94BA93";
    public const string BackendService = "BackendService7A4224EE";
    public const string FrontendTargetGroup = "FrontendTargetGroupED7B3E5D";
    public const string Vpc = "Vpc8378EB38";

    public const string PublicAlbGroup = "PublicAlbSecurityGroupC0549052";
    public const string FrontendGroup = "FrontendTasksSecurityGroup90675DB8";
    public const string InternalAlbGroup = "InternalAlbSecurityGroup32D71C5A";
    public const string BackendGroup = "BackendTasksSecurityGroup54584B5C";

    public const string IngressType = "AWS::EC2::SecurityGroupIngress";
    public const string EgressType = "AWS::EC2::SecurityGroupEgress";

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Guardrails", "Fixtures", $"{name}.template.json")))!.AsObject();

    public static JsonObject OrdersDev() => Load("orders-dev");

    public static JsonObject Properties(this JsonObject template, string logicalId) =>
        template["Resources"]![logicalId]!["Properties"]!.AsObject();

    /// <summary>The standalone rule CDK wrote for group → peer (ingress: peer is the source; egress: the destination).</summary>
    public static string RuleId(this JsonObject template, string type, string group, string peer)
    {
        var peerKey = type == IngressType ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
        return template["Resources"]!.AsObject().Single(r =>
            (string)r.Value!["Type"]! == type
            && (string)r.Value["Properties"]!["GroupId"]!["Fn::GetAtt"]![0]! == group
            && (string?)r.Value["Properties"]![peerKey]?["Fn::GetAtt"]?[0] == peer).Key;
    }

    public static void Add(this JsonObject template, string logicalId, string type, JsonObject properties) =>
        template["Resources"]!.AsObject().Add(logicalId, new JsonObject { ["Type"] = type, ["Properties"] = properties });

    public static void RemoveResource(this JsonObject template, string logicalId) =>
        Assert.True(template["Resources"]!.AsObject().Remove(logicalId), $"{logicalId} is not in the template");

    /// <summary>Appends an inline rule to a group's SecurityGroupIngress or SecurityGroupEgress, as CDK writes CIDR rules.</summary>
    public static void AddInline(this JsonObject template, string group, string property, JsonObject rule)
    {
        var properties = template.Properties(group);
        if (properties[property] is not JsonArray rules) properties[property] = rules = [];
        rules.Add(rule);
    }

    public static JsonObject GroupRef(string group) => new() { ["Fn::GetAtt"] = new JsonArray(group, "GroupId") };

    public static JsonObject Tcp(int from, int to, string description = "added by a test") => new()
    {
        ["Description"] = description,
        ["FromPort"] = from,
        ["IpProtocol"] = "tcp",
        ["ToPort"] = to,
    };

    public static JsonObject With(this JsonObject rule, string key, JsonNode? value)
    {
        rule[key] = value;
        return rule;
    }
}
