using System.Text.Json.Nodes;

namespace Portal.Infra.Guardrails;

/// <summary>The places traffic flows between in the environment's security model.</summary>
internal enum ChainNode { Internet, PublicAlb, FrontendTasks, InternalAlb, BackendTasks }

internal static class ChainNodeNames
{
    public static string Describe(this ChainNode node) => node switch
    {
        ChainNode.Internet => "the internet",
        ChainNode.PublicAlb => "the public ALB",
        ChainNode.FrontendTasks => "the frontend tasks",
        ChainNode.InternalAlb => "the internal ALB",
        ChainNode.BackendTasks => "the backend tasks",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, null),
    };
}

/// <summary>
/// Which security groups play which part of the chain, and the ports it runs on, as the template wires them.
/// Groups are found by what uses them (load balancer scheme, listener → target group → service), never by name,
/// so a renamed or swapped resource cannot pass for the right one.
/// </summary>
internal sealed class ChainTopology
{
    /// <summary>The architecture's public ALB serves plain HTTP on this port, and only this port.</summary>
    public const int PublicPort = 80;

    private const string LoadBalancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    private const string ListenerType = "AWS::ElasticLoadBalancingV2::Listener";
    private const string TargetGroupType = "AWS::ElasticLoadBalancingV2::TargetGroup";
    private const string ServiceType = "AWS::ECS::Service";

    private readonly Dictionary<string, ChainNode> _nodeByGroup;

    private ChainTopology(IReadOnlyDictionary<ChainNode, IReadOnlyList<string>> groups, int frontendPort, int listenerPort, int backendPort)
    {
        Groups = groups;
        FrontendPort = frontendPort;
        ListenerPort = listenerPort;
        BackendPort = backendPort;
        _nodeByGroup = groups.SelectMany(g => g.Value.Select(id => (id, g.Key))).ToDictionary(p => p.id, p => p.Key);
    }

    /// <summary>The security groups of each node but the internet (a service or load balancer may carry several).</summary>
    public IReadOnlyDictionary<ChainNode, IReadOnlyList<string>> Groups { get; }

    /// <summary>The frontend container port: the public ALB sends here.</summary>
    public int FrontendPort { get; }

    /// <summary>The internal ALB's listener port: the frontend sends here.</summary>
    public int ListenerPort { get; }

    /// <summary>The backend container port: the internal ALB sends here.</summary>
    public int BackendPort { get; }

    public ChainNode? NodeOf(string groupLogicalId) => _nodeByGroup.TryGetValue(groupLogicalId, out var node) ? node : null;

    /// <summary>
    /// Reads the chain's wiring. Every problem becomes a finding; null when the chain cannot be placed at all
    /// (a missing or ambiguous load balancer, listener, target group, service, port or group).
    /// </summary>
    public static ChainTopology? Read(CfnTemplate template, ICollection<GuardrailFinding> findings)
    {
        var loadBalancers = template.OfType(LoadBalancerType).ToList();
        // CloudFormation's default scheme is internet-facing.
        var publicLb = Single(loadBalancers.Where(lb => CfnTemplate.Text(lb.Properties["Scheme"]) != "internal").ToList(), "internet-facing", findings);
        var internalLb = Single(loadBalancers.Where(lb => CfnTemplate.Text(lb.Properties["Scheme"]) == "internal").ToList(), "internal", findings);
        if (publicLb is null || internalLb is null) return null;

        var front = Tier.Read(template, publicLb, "internet-facing load balancer", "frontend service", findings);
        var back = Tier.Read(template, internalLb, "internal load balancer", "backend service", findings);
        if (front is null || back is null) return null;

        // Roles come from the wiring; the architecture's service names only cross-check it, to say plainly when schemes are swapped.
        if (NamedAs(front.Service, "backend-service"))
            findings.Add(new(publicLb.LogicalId,
                $"Load balancer {publicLb.LogicalId} is internet-facing but forwards to backend-service: the load balancer schemes look swapped, which would put the backend on the internet."));
        if (NamedAs(back.Service, "frontend-service"))
            findings.Add(new(internalLb.LogicalId,
                $"Load balancer {internalLb.LogicalId} is internal but forwards to frontend-service: the load balancer schemes look swapped, which would hide the site from the internet."));
        if (front.ListenerPort != PublicPort)
            findings.Add(new(front.Listener.LogicalId,
                $"The public ALB listens on port {front.ListenerPort}; the architecture serves HTTP on port {PublicPort} only."));
        if (front.Service == back.Service)
        {
            findings.Add(new(front.Service.LogicalId,
                $"Service {front.Service.LogicalId} is registered behind both load balancers; the frontend and backend must be separate services."));
            return null;
        }
        foreach (var stray in template.OfType(ServiceType).Where(s => s != front.Service && s != back.Service))
            findings.Add(new(stray.LogicalId,
                $"Service {stray.LogicalId} is behind neither load balancer; the chain has exactly two services, frontend and backend."));

        var groups = new Dictionary<ChainNode, IReadOnlyList<string>>
        {
            [ChainNode.PublicAlb] = front.LoadBalancerGroups,
            [ChainNode.FrontendTasks] = front.ServiceGroups,
            [ChainNode.InternalAlb] = back.LoadBalancerGroups,
            [ChainNode.BackendTasks] = back.ServiceGroups,
        };
        if (groups.Values.Any(g => g.Count == 0)) return null;

        var shared = groups.SelectMany(g => g.Value.Select(id => (id, node: g.Key))).GroupBy(p => p.id).Where(g => g.Count() > 1).ToList();
        foreach (var group in shared)
            findings.Add(new(group.Key,
                $"Security group {group.Key} is used by {string.Join(" and ", group.Select(p => p.node.Describe()))}; each part of the chain needs its own group, or the chain cannot separate them."));
        return shared.Count > 0 ? null : new ChainTopology(groups, front.ServicePort, back.ListenerPort, back.ServicePort);
    }

    private static bool NamedAs(CfnResource service, string name) =>
        CfnTemplate.Text(service.Properties["ServiceName"])?.EndsWith(name, StringComparison.Ordinal) == true;

    private static CfnResource? Single(IReadOnlyList<CfnResource> loadBalancers, string scheme, ICollection<GuardrailFinding> findings)
    {
        if (loadBalancers.Count == 1) return loadBalancers[0];
        if (loadBalancers.Count == 0)
            findings.Add(new(LoadBalancerType, $"The template has no {scheme} load balancer; the chain needs exactly one."));
        foreach (var lb in loadBalancers.Skip(1))
            findings.Add(new(lb.LogicalId, $"Load balancer {lb.LogicalId} is one of {loadBalancers.Count} {scheme} load balancers; the chain has exactly one."));
        return null;
    }

    /// <summary>One side of the chain: a load balancer, its one listener, and the one service behind it.</summary>
    private sealed record Tier(
        IReadOnlyList<string> LoadBalancerGroups, CfnResource Listener, int ListenerPort,
        CfnResource Service, int ServicePort, IReadOnlyList<string> ServiceGroups)
    {
        public static Tier? Read(CfnTemplate template, CfnResource lb, string lbName, string serviceName, ICollection<GuardrailFinding> findings)
        {
            var lbGroups = GroupsOf(template, lb, lb.Properties["SecurityGroups"], $"The {lbName}", findings);

            var listeners = template.OfType(ListenerType)
                .Where(l => template.Resolve(l.Properties["LoadBalancerArn"], LoadBalancerType) == lb).ToList();
            if (listeners.Count != 1)
            {
                findings.Add(new(lb.LogicalId, $"The {lbName} {lb.LogicalId} has {listeners.Count} listeners; the chain expects exactly one."));
                return null;
            }
            var listener = listeners[0];
            if (CfnTemplate.Integer(listener.Properties["Port"]) is not { } listenerPort)
            {
                findings.Add(new(listener.LogicalId, $"Listener {listener.LogicalId} has no literal port ({CfnTemplate.Show(listener.Properties["Port"])}), so the chain's ports cannot be checked."));
                return null;
            }

            var targetGroupRefs = (listener.Properties["DefaultActions"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .SelectMany(action => new[] { action["TargetGroupArn"] }.Concat(
                    (action["ForwardConfig"]?["TargetGroups"] as JsonArray ?? []).Select(t => t?["TargetGroupArn"])))
                .Where(r => r is not null).ToList();
            var targetGroups = targetGroupRefs.Select(r => template.Resolve(r, TargetGroupType)).Distinct().ToList();
            if (targetGroups is not [{ } targetGroup])
            {
                findings.Add(new(listener.LogicalId,
                    $"Listener {listener.LogicalId} forwards to {targetGroupRefs.Count} target groups; the chain expects exactly one, defined in this template."));
                return null;
            }

            var services = template.OfType(ServiceType)
                .Select(s => (service: s, entry: (s.Properties["LoadBalancers"] as JsonArray ?? []).OfType<JsonObject>()
                    .FirstOrDefault(e => template.Resolve(e["TargetGroupArn"], TargetGroupType) == targetGroup)))
                .Where(p => p.entry is not null).ToList();
            if (services.Count != 1)
            {
                findings.Add(new(targetGroup.LogicalId,
                    $"Target group {targetGroup.LogicalId} of the {lbName} has {services.Count} services behind it; the chain expects exactly one, the {serviceName}."));
                return null;
            }
            var (service, entry) = services[0];
            // ECS registers tasks on the container port; the target group's port is only its default.
            if ((CfnTemplate.Integer(entry!["ContainerPort"]) ?? CfnTemplate.Integer(targetGroup.Properties["Port"])) is not { } servicePort)
            {
                findings.Add(new(service.LogicalId, $"The {serviceName} {service.LogicalId} has no literal container port, so the chain's ports cannot be checked."));
                return null;
            }

            var network = service.Properties["NetworkConfiguration"]?["AwsvpcConfiguration"];
            if (CfnTemplate.Text(network?["AssignPublicIp"]) == "ENABLED")
                findings.Add(new(service.LogicalId,
                    $"The {serviceName} {service.LogicalId} gives its tasks public IP addresses (AssignPublicIp ENABLED); tasks must stay private, reachable only through their load balancer."));
            var serviceGroups = GroupsOf(template, service, network?["SecurityGroups"], $"The {serviceName}", findings);

            return new Tier(lbGroups, listener, listenerPort, service, servicePort, serviceGroups);
        }

        /// <summary>The security groups a load balancer or service uses; anything but exactly one known group is a finding.</summary>
        private static List<string> GroupsOf(CfnTemplate template, CfnResource owner, JsonNode? references, string what, ICollection<GuardrailFinding> findings)
        {
            var all = references as JsonArray ?? [];
            var known = new List<string>();
            foreach (var reference in all)
            {
                if (template.Resolve(reference, CfnTemplate.SecurityGroupType, "GroupId") is { } group)
                    known.Add(group.LogicalId);
                else
                    findings.Add(new(owner.LogicalId,
                        $"{what} {owner.LogicalId} uses security group {CfnTemplate.Show(reference)}, which is not defined in this template, so its rules cannot be checked."));
            }
            if (all.Count != 1)
                findings.Add(new(owner.LogicalId,
                    $"{what} {owner.LogicalId} has {all.Count} security groups; the chain expects exactly one, its own."));
            return known;
        }
    }
}
