namespace Portal.Infra.Guardrails;

/// <summary>
/// The environment's security model (docs/ARCHITECTURE.md, "The environment") for one template's ports:
/// only the component immediately in front may talk to the next one, on that component's port.
/// </summary>
internal sealed class ChainPolicy
{
    private const int HttpsPort = 443;

    private readonly ChainTopology _chain;
    private readonly IReadOnlyList<Allowance> _allowances;
    private readonly IReadOnlyList<Link> _links;
    private readonly IReadOnlyList<(ChainNode From, ChainNode To, PortSpan Ports)> _expectedEdges;

    public ChainPolicy(ChainTopology chain)
    {
        _chain = chain;
        var (frontend, listener, backend) = (PortSpan.Tcp(chain.FrontendPort), PortSpan.Tcp(chain.ListenerPort), PortSpan.Tcp(chain.BackendPort));
        var http = PortSpan.Tcp(ChainTopology.PublicPort);
        var https = PortSpan.Tcp(HttpsPort);
        _allowances =
        [
            new(ChainNode.PublicAlb, RuleDirection.Ingress, Anywhere, http, $"the internet (0.0.0.0/0 or ::/0) on {http}"),
            Between(ChainNode.PublicAlb, RuleDirection.Egress, ChainNode.FrontendTasks, frontend),
            Between(ChainNode.FrontendTasks, RuleDirection.Ingress, ChainNode.PublicAlb, frontend),
            Between(ChainNode.FrontendTasks, RuleDirection.Egress, ChainNode.InternalAlb, listener),
            new(ChainNode.FrontendTasks, RuleDirection.Egress, Anywhere, https, $"the internet (0.0.0.0/0 or ::/0) on {https} through the NAT gateway"),
            Between(ChainNode.InternalAlb, RuleDirection.Ingress, ChainNode.FrontendTasks, listener),
            Between(ChainNode.InternalAlb, RuleDirection.Egress, ChainNode.BackendTasks, backend),
            Between(ChainNode.BackendTasks, RuleDirection.Ingress, ChainNode.InternalAlb, backend),
            new(ChainNode.BackendTasks, RuleDirection.Egress, peer => peer is CidrPeer, PortSpan.AllTraffic, "addresses (CIDR ranges) through the NAT gateway"),
        ];
        _links =
        [
            new(ChainNode.Internet, ChainNode.PublicAlb, http, "The site is unreachable"),
            new(ChainNode.PublicAlb, ChainNode.FrontendTasks, frontend, "The frontend is unreachable"),
            new(ChainNode.FrontendTasks, ChainNode.InternalAlb, listener, "The frontend cannot reach the backend"),
            new(ChainNode.InternalAlb, ChainNode.BackendTasks, backend, "The backend is unreachable"),
        ];
        _expectedEdges =
        [
            .. _links.Select(l => (l.From, l.To, l.Ports)),
            (ChainNode.FrontendTasks, ChainNode.Internet, https),
            (ChainNode.BackendTasks, ChainNode.Internet, PortSpan.AllTraffic),
        ];
    }

    /// <summary>Every rule on the chain's groups that the architecture does not call for.</summary>
    public IEnumerable<GuardrailFinding> UnexpectedRules(IEnumerable<SecurityGroupRule> rules)
    {
        foreach (var rule in rules)
        {
            if (_chain.NodeOf(rule.Group) is not { } owner) continue;
            var allowed = _allowances.Where(a => a.Owner == owner && a.Direction == rule.Direction).ToList();
            if (allowed.Any(a => a.Peer(rule.Peer) && a.Ports.Covers(rule.Ports))) continue;
            var (action, verb) = rule.Direction == RuleDirection.Ingress
                ? ($"Ingress to {owner.Describe()} from {Describe(rule.Peer)}", "admit only")
                : ($"Egress from {owner.Describe()} to {Describe(rule.Peer)}", "send only to");
            yield return new(rule.LogicalId,
                $"{action} on {rule.Ports} ({rule.Location}) is not part of the chain: " +
                $"{owner.Describe()} may {verb} {string.Join(", and ", allowed.Select(a => a.Description))}.");
        }
    }

    /// <summary>Each link of the chain that the rules do not open, naming the group that lacks its rule.</summary>
    public IEnumerable<GuardrailFinding> MissingLinks(ReachabilityGraph graph)
    {
        foreach (var link in _links)
        {
            if (graph.Edges.Any(e => e.From == link.From && e.To == link.To && e.Ports.Covers(link.Ports))) continue;
            if (!graph.Egress(link.From, link.To).Any(e => e.Ports.Covers(link.Ports)))
                yield return new(_chain.Groups[link.From][0],
                    $"{link.Consequence}: security group {_chain.Groups[link.From][0]} of {link.From.Describe()} has no egress rule to {link.To.Describe()} on {link.Ports}.");
            if (!graph.Ingress(link.To, link.From).Any(i => i.Ports.Covers(link.Ports)))
                yield return new(_chain.Groups[link.To][0],
                    $"{link.Consequence}: security group {_chain.Groups[link.To][0]} of {link.To.Describe()} admits nothing from {link.From.Describe()} on {link.Ports}.");
        }
    }

    /// <summary>Each way one node can reach another beyond the chain, named by the rule that admits it.</summary>
    public IEnumerable<GuardrailFinding> ExtraEdges(ReachabilityGraph graph) =>
        from edge in graph.Edges
        where !Expected(edge)
        let how = string.Join(" and ", new[] { edge.Egress, edge.Ingress }.OfType<SecurityGroupRule>().Select(r => r.Location))
        select new GuardrailFinding((edge.Ingress ?? edge.Egress)!.LogicalId, edge switch
        {
            { From: ChainNode.Internet } =>
                $"{Capitalize(edge.To.Describe())} can be reached from the internet on {edge.Ports} (through {how}); {ExpectedInto(edge.To)}.",
            { To: ChainNode.Internet } =>
                $"{Capitalize(edge.From.Describe())} can reach the internet on {edge.Ports} (through {how}); {ExpectedOutOf(edge.From)}.",
            _ => $"{Capitalize(edge.From.Describe())} can open connections to {edge.To.Describe()} on {edge.Ports} (through {how}); {ExpectedInto(edge.To)}.",
        });

    private string ExpectedInto(ChainNode node) =>
        $"only {string.Join(" and ", _expectedEdges.Where(e => e.To == node).Select(e => $"{e.From.Describe()} on {e.Ports}"))} may reach {node.Describe()}";

    private string ExpectedOutOf(ChainNode node) =>
        _expectedEdges.Where(e => e.From == node && e.To == ChainNode.Internet).Select(e => e.Ports).ToList() is { Count: > 0 } ports
            ? $"the chain lets {node.Describe()} out only on {string.Join(" and ", ports)}"
            : $"the chain lets {node.Describe()} send nothing to the internet";

    private bool Expected(ReachabilityEdge edge) =>
        // Anyone may reach the public site, including the chain's own tasks through the NAT gateway.
        (edge.To == ChainNode.PublicAlb && PortSpan.Tcp(ChainTopology.PublicPort).Covers(edge.Ports))
        || _expectedEdges.Any(e => e.From == edge.From && e.To == edge.To && e.Ports.Covers(edge.Ports));

    private Allowance Between(ChainNode owner, RuleDirection direction, ChainNode peer, PortSpan ports) =>
        new(owner, direction, p => p is GroupPeer g && _chain.NodeOf(g.LogicalId) == peer, ports, $"{peer.Describe()} on {ports}");

    private string Describe(RulePeer peer) => peer switch
    {
        GroupPeer g when _chain.NodeOf(g.LogicalId) is { } node => $"{node.Describe()} ({g.LogicalId})",
        GroupPeer g => $"security group {g.LogicalId} (not one of the chain's four groups)",
        CidrPeer c => c.Network.PrefixLength == 0 ? $"{c.Network} (anywhere)" : c.Network.ToString(),
        OpaquePeer o => $"{o.Description} (addresses the guardrail cannot see)",
        _ => peer.ToString(),
    };

    private static bool Anywhere(RulePeer peer) => peer is CidrPeer { Network.PrefixLength: 0 };

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A rule the architecture calls for: on <paramref name="Owner"/>'s group, in one direction, to or from a peer.</summary>
    private sealed record Allowance(ChainNode Owner, RuleDirection Direction, Func<RulePeer, bool> Peer, PortSpan Ports, string Description);

    /// <summary>A hop of the request path that must be open.</summary>
    private sealed record Link(ChainNode From, ChainNode To, PortSpan Ports, string Consequence);
}
