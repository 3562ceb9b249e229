using System.Net;
using System.Text.Json.Nodes;

namespace Portal.Infra.Guardrails;

internal enum RuleDirection { Ingress, Egress }

/// <summary>The other side of a rule: where ingress may come from, or where egress may go.</summary>
internal abstract record RulePeer;

internal sealed record CidrPeer(IPNetwork Network) : RulePeer;

/// <summary>A security group defined in this template.</summary>
internal sealed record GroupPeer(string LogicalId) : RulePeer;

/// <summary>A peer the guardrail cannot place: a prefix list, a group from outside the template, an unreadable CIDR.</summary>
internal sealed record OpaquePeer(string Description) : RulePeer;

/// <summary>A protocol and port range; protocols without ports (ICMP, all traffic, others) span the whole protocol.</summary>
internal readonly record struct PortSpan(string Protocol, int From, int To)
{
    private const string All = "-1";

    public static readonly PortSpan AllTraffic = new(All, 0, 65535);

    public static PortSpan Tcp(int port) => new("tcp", port, port);

    public bool Covers(PortSpan other) =>
        Protocol == All || (Protocol == other.Protocol && From <= other.From && other.To <= To);

    public PortSpan? Intersect(PortSpan other)
    {
        if (Protocol == All) return other;
        if (other.Protocol == All) return this;
        if (Protocol != other.Protocol) return null;
        var (from, to) = (Math.Max(From, other.From), Math.Min(To, other.To));
        return from <= to ? new PortSpan(Protocol, from, to) : null;
    }

    public override string ToString() => Protocol switch
    {
        All => "all protocols and ports",
        "tcp" or "udp" => From == To ? $"{Protocol} {From}" : $"{Protocol} {From}-{To}",
        "icmp" or "icmpv6" => Protocol,
        _ => $"IP protocol {Protocol}",
    };

    /// <summary>Reads IpProtocol/FromPort/ToPort; a missing or unreadable value counts as the widest one.</summary>
    public static PortSpan Read(JsonObject rule)
    {
        var protocol = (CfnTemplate.Text(rule["IpProtocol"]) ?? CfnTemplate.Integer(rule["IpProtocol"])?.ToString())?.ToLowerInvariant() switch
        {
            "tcp" or "6" => "tcp",
            "udp" or "17" => "udp",
            "icmp" or "1" => "icmp",
            "icmpv6" or "58" => "icmpv6",
            null or "-1" or "all" => All,
            var number => number,
        };
        if (protocol is not ("tcp" or "udp")) return new PortSpan(protocol, 0, 65535);
        var from = CfnTemplate.Integer(rule["FromPort"]) is >= 0 and var f ? f : 0;
        var to = CfnTemplate.Integer(rule["ToPort"]) is >= 0 and var t ? t : 65535;
        return new PortSpan(protocol, from, to);
    }
}

/// <summary>
/// One security-group rule: inline in a group's SecurityGroupIngress/SecurityGroupEgress (then
/// <see cref="InlinePosition"/> is its 1-based place there) or a separate SecurityGroupIngress/Egress resource.
/// </summary>
internal sealed record SecurityGroupRule(
    string LogicalId, int? InlinePosition, string Group, RuleDirection Direction, RulePeer Peer, PortSpan Ports)
{
    private const string IngressType = "AWS::EC2::SecurityGroupIngress";
    private const string EgressType = "AWS::EC2::SecurityGroupEgress";

    /// <summary>Where the rule is, for people: its logical id, or its place in its group.</summary>
    public string Location => InlinePosition is { } n
        ? $"inline {Direction.ToString().ToLowerInvariant()} rule {n} of {Group}"
        : $"{Direction.ToString().ToLowerInvariant()} rule {LogicalId}";

    /// <summary>Every rule on a security group defined in the template (rules on outside groups cannot touch the chain).</summary>
    public static IReadOnlyList<SecurityGroupRule> ReadAll(CfnTemplate template)
    {
        var rules = new List<SecurityGroupRule>();
        foreach (var group in template.OfType(CfnTemplate.SecurityGroupType))
        {
            rules.AddRange(Inline(template, group, RuleDirection.Ingress));
            rules.AddRange(Inline(template, group, RuleDirection.Egress));
        }
        foreach (var resource in template.Resources)
        {
            RuleDirection? direction = resource.Type switch { IngressType => RuleDirection.Ingress, EgressType => RuleDirection.Egress, _ => null };
            if (direction is null || template.Resolve(resource.Properties["GroupId"], CfnTemplate.SecurityGroupType, "GroupId") is not { } group) continue;
            rules.Add(new SecurityGroupRule(resource.LogicalId, null, group.LogicalId, direction.Value,
                ReadPeer(template, resource.Properties, direction.Value), PortSpan.Read(resource.Properties)));
        }
        return rules;
    }

    private static IEnumerable<SecurityGroupRule> Inline(CfnTemplate template, CfnResource group, RuleDirection direction)
    {
        var entries = group.Properties[direction == RuleDirection.Ingress ? "SecurityGroupIngress" : "SecurityGroupEgress"] as JsonArray ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject rule)
                yield return new SecurityGroupRule(group.LogicalId, i + 1, group.LogicalId, direction,
                    new OpaquePeer($"an unreadable rule {CfnTemplate.Show(entries[i])}"), PortSpan.AllTraffic);
            else if (direction == RuleDirection.Ingress || !IsCdkNoTrafficPlaceholder(rule))
                yield return new SecurityGroupRule(group.LogicalId, i + 1, group.LogicalId, direction,
                    ReadPeer(template, rule, direction), PortSpan.Read(rule));
        }
    }

    /// <summary>
    /// CDK writes this rule into a group with allowAllOutbound off and no egress rules: it matches no traffic
    /// (ICMP type 252 code 86 to the broadcast address), so it means "no egress", not a rule.
    /// </summary>
    private static bool IsCdkNoTrafficPlaceholder(JsonObject rule) =>
        CfnTemplate.Text(rule["CidrIp"]) == "255.255.255.255/32"
        && CfnTemplate.Text(rule["IpProtocol"]) == "icmp"
        && CfnTemplate.Integer(rule["FromPort"]) == 252
        && CfnTemplate.Integer(rule["ToPort"]) == 86;

    private static RulePeer ReadPeer(CfnTemplate template, JsonObject rule, RuleDirection direction)
    {
        var (groupKey, prefixListKey) = direction == RuleDirection.Ingress
            ? ("SourceSecurityGroupId", "SourcePrefixListId")
            : ("DestinationSecurityGroupId", "DestinationPrefixListId");
        if ((rule["CidrIp"] ?? rule["CidrIpv6"]) is { } cidr) return ReadCidr(template, cidr);
        if (rule[groupKey] is { } group)
            return template.Resolve(group, CfnTemplate.SecurityGroupType, "GroupId") is { } known
                ? new GroupPeer(known.LogicalId)
                : new OpaquePeer($"security group {CfnTemplate.Show(group)} from outside this template");
        if (rule[prefixListKey] is { } prefixList)
            return new OpaquePeer($"prefix list {CfnTemplate.Text(prefixList) ?? CfnTemplate.Show(prefixList)}");
        if (rule["SourceSecurityGroupName"] is { } name)
            return new OpaquePeer($"the security group named {CfnTemplate.Show(name)}");
        return new OpaquePeer("an unspecified peer");
    }

    private static RulePeer ReadCidr(CfnTemplate template, JsonNode cidr)
    {
        // CDK writes Peer.ipv4(vpc.vpcCidrBlock) as the VPC's CidrBlock attribute.
        var text = CfnTemplate.Text(cidr)
            ?? CfnTemplate.Text(template.Resolve(cidr, VpcAddresses.VpcType, "CidrBlock")?.Properties["CidrBlock"]);
        return text is not null && IPNetwork.TryParse(text, out var network)
            ? new CidrPeer(network)
            : new OpaquePeer($"addresses {CfnTemplate.Show(cidr)}");
    }
}
