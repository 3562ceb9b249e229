using System.Net;

namespace Portal.Infra.Guardrails;

/// <summary>
/// The VPC's address ranges: the tasks and load balancers live inside them, the internet is everything else.
/// Needed because a CIDR rule (say egress to 0.0.0.0/0) also covers the chain's own private addresses.
/// </summary>
internal sealed record VpcAddresses(IReadOnlyList<IPNetwork> Ranges)
{
    public const string VpcType = "AWS::EC2::VPC";
    private const string VpcCidrBlockType = "AWS::EC2::VPCCidrBlock";

    private static readonly IPNetwork AnyIpv4 = IPNetwork.Parse("0.0.0.0/0");
    private static readonly IPNetwork AnyIpv6 = IPNetwork.Parse("::/0");

    /// <summary>Ranges the template does not spell out (IPAM, Amazon-provided IPv6, no VPC at all) count as everything.</summary>
    public static VpcAddresses Read(CfnTemplate template)
    {
        var vpcs = template.OfType(VpcType).ToList();
        if (vpcs.Count == 0) return new VpcAddresses([AnyIpv4, AnyIpv6]);
        var ranges = vpcs.Select(vpc => Literal(vpc, "CidrBlock") ?? AnyIpv4).ToList();
        foreach (var block in template.OfType(VpcCidrBlockType))
            ranges.Add(block.Properties.ContainsKey("CidrBlock") || block.Properties.ContainsKey("Ipv4IpamPoolId")
                ? Literal(block, "CidrBlock") ?? AnyIpv4
                : Literal(block, "Ipv6CidrBlock") ?? AnyIpv6);
        return new VpcAddresses(ranges);
    }

    private static IPNetwork? Literal(CfnResource resource, string property) =>
        CfnTemplate.Text(resource.Properties[property]) is { } text && IPNetwork.TryParse(text, out var network) ? network : null;

    /// <summary>Whether the CIDR holds addresses outside the VPC, i.e. on the internet side of the NAT and IGW.</summary>
    public bool ReachesOutside(IPNetwork cidr) => !Ranges.Any(r => Contains(r, cidr));

    /// <summary>Whether the CIDR holds addresses of the VPC, where the chain's tasks and load balancers are.</summary>
    public bool ReachesInside(IPNetwork cidr) => Ranges.Any(r => Contains(r, cidr) || Contains(cidr, r));

    private static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);
}

/// <summary>
/// <paramref name="From"/> can open connections to <paramref name="To"/> on <paramref name="Ports"/>: the sender's
/// group lets it out (<paramref name="Egress"/>, none for the internet) and the receiver's group lets it in
/// (<paramref name="Ingress"/>, none for the internet).
/// </summary>
internal sealed record ReachabilityEdge(ChainNode From, ChainNode To, PortSpan Ports, SecurityGroupRule? Egress, SecurityGroupRule? Ingress);

/// <summary>Who can send to whom between the chain's nodes, as the security-group rules allow it.</summary>
internal sealed class ReachabilityGraph
{
    private readonly ChainTopology _chain;
    private readonly IReadOnlyList<SecurityGroupRule> _rules;
    private readonly VpcAddresses _vpc;

    public ReachabilityGraph(ChainTopology chain, IReadOnlyList<SecurityGroupRule> rules, VpcAddresses vpc)
    {
        (_chain, _rules, _vpc) = (chain, rules, vpc);
        Edges = [.. (
            from sender in Enum.GetValues<ChainNode>()
            from receiver in Enum.GetValues<ChainNode>()
            where sender != ChainNode.Internet || receiver != ChainNode.Internet
            from egress in Egress(sender, receiver)
            from ingress in Ingress(receiver, sender)
            let ports = egress.Ports.Intersect(ingress.Ports)
            where ports is not null
            select new ReachabilityEdge(sender, receiver, ports.Value, egress.Rule, ingress.Rule))];
    }

    public IReadOnlyList<ReachabilityEdge> Edges { get; }

    /// <summary>What lets <paramref name="sender"/> out towards <paramref name="receiver"/>; the internet sends anything.</summary>
    public IEnumerable<(SecurityGroupRule? Rule, PortSpan Ports)> Egress(ChainNode sender, ChainNode receiver) =>
        Allowing(sender, RuleDirection.Egress, receiver);

    /// <summary>What lets <paramref name="sender"/> into <paramref name="receiver"/>; the internet admits anything.</summary>
    public IEnumerable<(SecurityGroupRule? Rule, PortSpan Ports)> Ingress(ChainNode receiver, ChainNode sender) =>
        Allowing(receiver, RuleDirection.Ingress, sender);

    private IEnumerable<(SecurityGroupRule? Rule, PortSpan Ports)> Allowing(ChainNode owner, RuleDirection direction, ChainNode peer) =>
        owner == ChainNode.Internet
            ? [(null, PortSpan.AllTraffic)]
            : _rules.Where(r => r.Direction == direction && _chain.NodeOf(r.Group) == owner && Covers(r.Peer, peer))
                .Select(r => ((SecurityGroupRule?)r, r.Ports));

    private bool Covers(RulePeer peer, ChainNode node) => peer switch
    {
        GroupPeer group => _chain.NodeOf(group.LogicalId) == node,
        CidrPeer cidr => node == ChainNode.Internet ? _vpc.ReachesOutside(cidr.Network) : _vpc.ReachesInside(cidr.Network),
        // Opaque peers are findings of their own; guessing who they cover would only add noise.
        _ => false,
    };
}
