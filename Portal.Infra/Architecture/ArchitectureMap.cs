using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Infra.Guardrails;

namespace Portal.Infra.Architecture;

/// <summary>The parts of the environment's architecture (docs/ARCHITECTURE.md) a map draws.</summary>
public enum ArchitectureNodeKind
{
    Internet,
    InternetGateway,
    Vpc,
    PublicSubnet,
    PrivateSubnet,
    NatGateway,
    PublicLoadBalancer,
    InternalLoadBalancer,
    /// <summary>An ECS service behind the public load balancer.</summary>
    FrontendService,
    /// <summary>An ECS service behind the internal load balancer.</summary>
    BackendService,
    Cluster,
    ContainerRegistry,
    SecretsManager,
    /// <summary>Resources the map found no place for (none in the portal's own stacks).</summary>
    Other,
}

/// <summary>
/// One box of the map: what it is, its label, facts worth showing beside it (CIDR, ports, images, secret names),
/// and the template's logical ids that belong to it (their stack events colour it).
/// </summary>
/// <param name="Zone">For subnets and the NAT gateway: the availability zone's index (0, 1, …) in the template.</param>
/// <param name="TasksPerZone">For services: how ECS spreads the desired count over the zones of its subnets.</param>
public sealed record ArchitectureNode(
    string Id, ArchitectureNodeKind Kind, string Label, IReadOnlyList<string> Details, IReadOnlyList<string> Resources,
    int? Zone = null, IReadOnlyList<int>? TasksPerZone = null);

/// <summary>A path traffic or a dependency takes between two nodes (by <see cref="ArchitectureNode.Id"/>).</summary>
public sealed record ArchitectureEdge(string From, string To, string Label);

/// <summary>
/// The environment's architecture as a synthesized CloudFormation template declares it: internet → internet gateway →
/// public ALB → frontend service → internal ALB → backend service, inside the VPC with its subnets per zone and the
/// NAT gateway, with the ECS cluster, ECR and Secrets Manager beside. Resources are placed by type and by the
/// references between them (listener → target group → service, route → gateway), never by logical-id names, so
/// the map follows whatever the template wires.
/// </summary>
public sealed record ArchitectureMap(IReadOnlyList<ArchitectureNode> Nodes, IReadOnlyList<ArchitectureEdge> Edges, int Zones)
{
    private const string SubnetType = "AWS::EC2::Subnet";
    private const string RouteTableType = "AWS::EC2::RouteTable";
    private const string LoadBalancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    private const string ListenerType = "AWS::ElasticLoadBalancingV2::Listener";
    private const string TargetGroupType = "AWS::ElasticLoadBalancingV2::TargetGroup";
    private const string ServiceType = "AWS::ECS::Service";
    private const string TaskDefinitionType = "AWS::ECS::TaskDefinition";
    private const string InternetGatewayType = "AWS::EC2::InternetGateway";
    private const string NatGatewayType = "AWS::EC2::NatGateway";

    public const string InternetId = "internet";
    public const string RegistryId = "ecr";
    public const string SecretsId = "secrets";

    public ArchitectureNode? Node(string id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>The node a resource belongs to, or null for one the template does not declare (e.g. the stack itself).</summary>
    public ArchitectureNode? NodeOf(string logicalId) => Nodes.FirstOrDefault(n => n.Resources.Contains(logicalId));

    /// <exception cref="ArgumentException">The text is not a JSON template with a Resources object.</exception>
    public static ArchitectureMap FromTemplate(string templateJson)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(templateJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The template is not valid JSON: {e.Message}", nameof(templateJson), e);
        }
        return new Builder(CfnTemplate.Parse(root)).Build();
    }

    /// <summary>Places each resource once: the first node that claims it keeps it.</summary>
    private sealed class Builder(CfnTemplate template)
    {
        private readonly Dictionary<string, CfnResource> _byId = template.Resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
        private readonly HashSet<string> _placed = new(StringComparer.Ordinal);
        private readonly List<ArchitectureNode> _nodes = [];
        private readonly List<ArchitectureEdge> _edges = [];
        private readonly Dictionary<string, int> _zoneOfSubnet = new(StringComparer.Ordinal);

        public ArchitectureMap Build()
        {
            _nodes.Add(new ArchitectureNode(InternetId, ArchitectureNodeKind.Internet, "Internet", ["users"], []));
            var internetGateway = AddInternetGateway();
            AddVpcs();
            AddSubnetsAndNat(internetGateway);
            var loadBalancers = AddLoadBalancers(internetGateway);
            var services = AddServices(loadBalancers);
            AddRegistryAndSecrets(services);
            AddCluster();
            var others = template.Resources.Where(r => !_placed.Contains(r.LogicalId)).Select(r => r.LogicalId).ToList();
            if (others.Count > 0)
                _nodes.Add(new ArchitectureNode("other", ArchitectureNodeKind.Other, "Other resources", [], others));
            return new ArchitectureMap(_nodes, _edges, Math.Max(1, _zoneOfSubnet.Values.DefaultIfEmpty(0).Max() + 1));
        }

        private string? AddInternetGateway()
        {
            var gateway = template.OfType(InternetGatewayType).FirstOrDefault();
            if (gateway is null) return null;
            var attachments = template.OfType("AWS::EC2::VPCGatewayAttachment")
                .Where(a => template.Resolve(a.Properties["InternetGatewayId"], InternetGatewayType) == gateway);
            Add("igw", ArchitectureNodeKind.InternetGateway, "Internet gateway", [], [gateway, .. attachments]);
            _edges.Add(new ArchitectureEdge(InternetId, "igw", "HTTP"));
            return "igw";
        }

        private void AddVpcs()
        {
            foreach (var (vpc, index) in template.OfType("AWS::EC2::VPC").Select((v, i) => (v, i)))
                Add(index == 0 ? "vpc" : $"vpc-{index + 1}", ArchitectureNodeKind.Vpc, "VPC",
                    CfnTemplate.Text(vpc.Properties["CidrBlock"]) is { } cidr ? [cidr] : [], [vpc]);
        }

        /// <summary>A subnet is public when its route table sends traffic to an internet gateway.</summary>
        private void AddSubnetsAndNat(string? internetGateway)
        {
            var subnets = template.OfType(SubnetType).ToList();
            var zoneKeys = subnets.Select(s => ZoneKey(s.Properties["AvailabilityZone"])).Distinct().Order(StringComparer.Ordinal).ToList();
            var natNodes = new Dictionary<string, string>(StringComparer.Ordinal);
            var subnetNodes = new List<(ArchitectureNode Node, CfnResource Subnet)>();
            foreach (var subnet in subnets)
            {
                var associations = template.OfType("AWS::EC2::SubnetRouteTableAssociation")
                    .Where(a => template.Resolve(a.Properties["SubnetId"], SubnetType) == subnet).ToList();
                var routeTables = associations.Select(a => template.Resolve(a.Properties["RouteTableId"], RouteTableType))
                    .OfType<CfnResource>().Distinct().ToList();
                var routes = template.OfType("AWS::EC2::Route")
                    .Where(r => routeTables.Contains(template.Resolve(r.Properties["RouteTableId"], RouteTableType)!)).ToList();
                var isPublic = routes.Any(r => template.Resolve(r.Properties["GatewayId"], InternetGatewayType) is not null);
                var zone = zoneKeys.IndexOf(ZoneKey(subnet.Properties["AvailabilityZone"]));
                _zoneOfSubnet[subnet.LogicalId] = zone;
                var kind = isPublic ? ArchitectureNodeKind.PublicSubnet : ArchitectureNodeKind.PrivateSubnet;
                var id = $"{(isPublic ? "public" : "private")}-subnet-{zone + 1}";
                if (_nodes.Any(n => n.Id == id)) id += "-" + subnet.LogicalId;
                var node = Add(id, kind, $"{(isPublic ? "Public" : "Private")} subnet, zone {zone + 1}",
                    CfnTemplate.Text(subnet.Properties["CidrBlock"]) is { } cidr ? [cidr] : [],
                    [subnet, .. associations, .. routeTables, .. routes], zone);
                subnetNodes.Add((node, subnet));
            }

            foreach (var nat in template.OfType(NatGatewayType))
            {
                var eip = template.Resolve(nat.Properties["AllocationId"], "AWS::EC2::EIP", "AllocationId");
                var subnet = template.Resolve(nat.Properties["SubnetId"], SubnetType);
                int? zone = subnet is null ? null : _zoneOfSubnet[subnet.LogicalId];
                var id = natNodes.Count == 0 ? "nat" : $"nat-{natNodes.Count + 1}";
                Add(id, ArchitectureNodeKind.NatGateway, "NAT gateway", eip is null ? [] : ["Elastic IP"], eip is null ? [nat] : [nat, eip], zone);
                natNodes[nat.LogicalId] = id;
                if (internetGateway is not null) _edges.Add(new ArchitectureEdge(id, internetGateway, "outbound"));
            }

            // Private subnets reach out through the NAT gateway their default route names.
            foreach (var (node, _) in subnetNodes.Where(s => s.Node.Kind == ArchitectureNodeKind.PrivateSubnet))
                foreach (var route in node.Resources.Select(r => _byId[r]).Where(r => r.Type == "AWS::EC2::Route"))
                    if (template.Resolve(route.Properties["NatGatewayId"], NatGatewayType) is { } nat && natNodes.TryGetValue(nat.LogicalId, out var natId))
                        _edges.Add(new ArchitectureEdge(node.Id, natId, "outbound"));
        }

        /// <summary>Each load balancer with its listeners, the target groups they forward to, and its security groups and their rules.</summary>
        private Dictionary<string, (string NodeId, ArchitectureNodeKind Kind)> AddLoadBalancers(string? internetGateway)
        {
            var byTargetGroup = new Dictionary<string, (string, ArchitectureNodeKind)>(StringComparer.Ordinal);
            foreach (var balancer in template.OfType(LoadBalancerType))
            {
                var isInternal = CfnTemplate.Text(balancer.Properties["Scheme"]) == "internal";
                var kind = isInternal ? ArchitectureNodeKind.InternalLoadBalancer : ArchitectureNodeKind.PublicLoadBalancer;
                var listeners = template.OfType(ListenerType)
                    .Where(l => template.Resolve(l.Properties["LoadBalancerArn"], LoadBalancerType) == balancer).ToList();
                var targetGroups = listeners
                    .SelectMany(l => References(l.Properties["DefaultActions"]).Where(r => r.Type == TargetGroupType)).Distinct().ToList();
                var groups = References(balancer.Properties["SecurityGroups"]).Where(r => r.Type == CfnTemplate.SecurityGroupType).ToList();
                var ports = listeners.Select(l => CfnTemplate.Integer(l.Properties["Port"])).OfType<int>().Select(p => $":{p}");
                var baseId = isInternal ? "internal-alb" : "public-alb";
                var id = _nodes.Any(n => n.Id == baseId) ? $"{baseId}-{balancer.LogicalId}" : baseId;
                Add(id, kind, isInternal ? "Internal ALB" : "Public ALB", [$"HTTP {string.Join(", ", ports)}"],
                    [balancer, .. listeners, .. targetGroups, .. groups, .. RulesOf(groups)]);
                foreach (var targetGroup in targetGroups) byTargetGroup[targetGroup.LogicalId] = (id, kind);
                if (!isInternal && internetGateway is not null) _edges.Add(new ArchitectureEdge(internetGateway, id, "HTTP :80"));
            }
            return byTargetGroup;
        }

        /// <summary>
        /// Each ECS service with its task definition, roles and their policies, log groups, security groups and their
        /// rules. Behind a public load balancer it is the frontend, behind an internal one the backend.
        /// </summary>
        private List<(string NodeId, CfnResource? TaskDefinition)> AddServices(Dictionary<string, (string NodeId, ArchitectureNodeKind Kind)> loadBalancers)
        {
            var services = new List<(string, CfnResource?)>();
            foreach (var service in template.OfType(ServiceType))
            {
                var props = service.Properties;
                var behind = References(props["LoadBalancers"]).Where(r => r.Type == TargetGroupType)
                    .Select(tg => loadBalancers.GetValueOrDefault(tg.LogicalId)).Where(lb => lb.NodeId is not null).ToList();
                var kind = behind.Any(b => b.Kind == ArchitectureNodeKind.PublicLoadBalancer) ? ArchitectureNodeKind.FrontendService
                    : ArchitectureNodeKind.BackendService;
                var task = template.Resolve(props["TaskDefinition"], TaskDefinitionType);
                var roles = task is null ? [] : References(task.Properties).Where(r => r.Type == "AWS::IAM::Role").Distinct().ToList();
                var policies = template.OfType("AWS::IAM::Policy").Concat(template.OfType("AWS::IAM::ManagedPolicy"))
                    .Where(p => References(p.Properties["Roles"]).Any(roles.Contains)).ToList();
                var logs = task is null ? [] : References(task.Properties["ContainerDefinitions"]).Where(r => r.Type == "AWS::Logs::LogGroup").Distinct().ToList();
                var network = props["NetworkConfiguration"]?["AwsvpcConfiguration"];
                var groups = References(network?["SecurityGroups"]).Where(r => r.Type == CfnTemplate.SecurityGroupType).Distinct().ToList();
                var subnets = References(network?["Subnets"]).Where(r => r.Type == SubnetType).ToList();
                var name = CfnTemplate.Text(props["ServiceName"]) ?? (kind == ArchitectureNodeKind.FrontendService ? "frontend service" : "backend service");
                var desired = CfnTemplate.Integer(props["DesiredCount"]) ?? 1;
                var cpu = task is null ? null : CfnTemplate.Text(task.Properties["Cpu"]);
                var memory = task is null ? null : CfnTemplate.Text(task.Properties["Memory"]);
                var id = kind == ArchitectureNodeKind.FrontendService ? "frontend" : "backend";
                if (_nodes.Any(n => n.Id == id)) id += "-" + service.LogicalId;
                Add(id, kind, name,
                    [$"{desired} task{(desired == 1 ? "" : "s")}", .. cpu is null || memory is null ? Array.Empty<string>() : [$"{cpu} CPU, {memory} MiB"]],
                    [service, .. task is null ? Array.Empty<CfnResource>() : [task], .. roles, .. policies, .. logs, .. groups, .. RulesOf(groups)],
                    tasksPerZone: Spread(desired, subnets));
                foreach (var (balancer, _) in behind.Distinct()) _edges.Add(new ArchitectureEdge(balancer, id, "forwards"));
                services.Add((id, task));
            }

            // A service whose task definition names a load balancer (BACKEND_URL) sends requests to it.
            foreach (var (id, task) in services)
                foreach (var balancer in References(task?.Properties).Where(r => r.Type == LoadBalancerType).Distinct())
                    if (_nodes.FirstOrDefault(n => n.Resources.Contains(balancer.LogicalId)) is { } target)
                        _edges.Add(new ArchitectureEdge(id, target.Id, "calls"));
            return services;
        }

        private void AddCluster()
        {
            var clusters = template.OfType("AWS::ECS::Cluster").ToList();
            if (clusters.Count > 0) Add("cluster", ArchitectureNodeKind.Cluster, "ECS cluster", ["Fargate"], clusters);
        }

        /// <summary>ECR repositories and Secrets Manager secrets the task definitions name (outside the stack: no resources).</summary>
        private void AddRegistryAndSecrets(List<(string NodeId, CfnResource? TaskDefinition)> services)
        {
            var images = new List<string>();
            var secrets = new List<string>();
            foreach (var (id, task) in services)
            {
                var containers = task?.Properties["ContainerDefinitions"] as JsonArray ?? [];
                var serviceImages = containers.Select(c => Flatten(c?["Image"])).OfType<string>().Select(RepositoryOf).ToList();
                var serviceSecrets = containers.SelectMany(c => c?["Secrets"] as JsonArray ?? [])
                    .Select(s => CfnTemplate.Text(s?["ValueFrom"])).OfType<string>().Select(SecretNameOf).ToList();
                images.AddRange(serviceImages);
                secrets.AddRange(serviceSecrets);
                if (serviceImages.Count > 0) _edges.Add(new ArchitectureEdge(id, RegistryId, "pulls image"));
                if (serviceSecrets.Count > 0) _edges.Add(new ArchitectureEdge(id, SecretsId, "reads secrets"));
            }
            if (images.Count > 0) _nodes.Add(new ArchitectureNode(RegistryId, ArchitectureNodeKind.ContainerRegistry, "ECR", [.. images.Distinct()], []));
            if (secrets.Count > 0) _nodes.Add(new ArchitectureNode(SecretsId, ArchitectureNodeKind.SecretsManager, "Secrets Manager", [.. secrets.Distinct()], []));
        }

        private ArchitectureNode Add(
            string id, ArchitectureNodeKind kind, string label, IReadOnlyList<string> details, IEnumerable<CfnResource> resources,
            int? zone = null, IReadOnlyList<int>? tasksPerZone = null)
        {
            var claimed = resources.Select(r => r.LogicalId).Where(_placed.Add).ToList();
            var node = new ArchitectureNode(id, kind, label, details, claimed, zone, tasksPerZone);
            _nodes.Add(node);
            return node;
        }

        /// <summary>Security-group rules declared on their own (ingress and egress) that belong to one of <paramref name="groups"/>.</summary>
        private IEnumerable<CfnResource> RulesOf(List<CfnResource> groups) =>
            template.Resources.Where(r => r.Type is "AWS::EC2::SecurityGroupIngress" or "AWS::EC2::SecurityGroupEgress"
                && References(r.Properties["GroupId"]).Any(groups.Contains));

        /// <summary>ECS places tasks across the zones of its subnets in turn, so a count of 3 over two zones is 2 and 1.</summary>
        private List<int> Spread(int desired, List<CfnResource> subnets)
        {
            var zones = subnets.Select(s => _zoneOfSubnet.GetValueOrDefault(s.LogicalId)).Distinct().Order().ToList();
            if (zones.Count == 0) return [desired];
            var perZone = new int[zones.Max() + 1];
            for (var i = 0; i < desired; i++) perZone[zones[i % zones.Count]]++;
            return [.. perZone];
        }

        /// <summary>Every resource of this template a subtree names with Ref or Fn::GetAtt, in order.</summary>
        private List<CfnResource> References(JsonNode? node)
        {
            var found = new List<CfnResource>();
            Walk(node);
            return found;

            void Walk(JsonNode? current)
            {
                switch (current)
                {
                    case JsonObject obj:
                        var target = obj.Count == 1 && obj["Ref"] is { } r ? CfnTemplate.Text(r)
                            : obj.Count == 1 && obj["Fn::GetAtt"] is JsonArray { Count: 2 } getAtt ? CfnTemplate.Text(getAtt[0])
                            : null;
                        if (target is not null && _byId.TryGetValue(target, out var resource))
                        {
                            found.Add(resource);
                            return;
                        }
                        foreach (var (_, child) in obj) Walk(child);
                        break;
                    case JsonArray array:
                        foreach (var child in array) Walk(child);
                        break;
                }
            }
        }

        /// <summary>Subnets in one zone share this key: "Fn::Select 0 of GetAZs" and a literal "us-east-1a" both work.</summary>
        private static string ZoneKey(JsonNode? zone) =>
            zone?["Fn::Select"] is JsonArray { Count: > 0 } select && CfnTemplate.Integer(select[0]) is { } index
                ? $"select:{index:D4}"
                : CfnTemplate.Text(zone) ?? zone?.ToJsonString() ?? "";
    }

    /// <summary>A string value with Fn::Join of literals and pseudo parameters flattened ("${AWS::Region}"); null for other functions.</summary>
    private static string? Flatten(JsonNode? node) => node switch
    {
        JsonValue => CfnTemplate.Text(node),
        JsonObject { Count: 1 } obj when obj["Ref"] is { } r && CfnTemplate.Text(r) is { } name => $"${{{name}}}",
        JsonObject { Count: 1 } obj when obj["Fn::Join"] is JsonArray { Count: 2 } join && join[1] is JsonArray parts =>
            parts.Select(Flatten).ToList() is var texts && texts.All(t => t is not null) ? string.Join(CfnTemplate.Text(join[0]) ?? "", texts) : null,
        _ => null,
    };

    /// <summary>"123.dkr.ecr.us-east-1.amazonaws.com/payments/web:2024.11.3-rc1" → "payments/web:2024.11.3-rc1" (digests shortened).</summary>
    internal static string RepositoryOf(string image)
    {
        var slash = image.IndexOf('/');
        var path = slash > 0 && image[..slash].Contains('.') ? image[(slash + 1)..] : image;
        var at = path.IndexOf("@sha256:", StringComparison.Ordinal);
        return at > 0 && path.Length > at + 16 ? path[..(at + 16)] + "…" : path;
    }

    /// <summary>"arn:aws:secretsmanager:us-east-1:123:secret:orders/api-AbCdEf:apiKey::" → "orders/api-AbCdEf".</summary>
    internal static string SecretNameOf(string valueFrom)
    {
        var parts = valueFrom.Split(':');
        return parts.Length > 6 && parts[2] == "secretsmanager" ? parts[6] : valueFrom;
    }
}
