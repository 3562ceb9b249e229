using Portal.Infra.Architecture;
using Portal.Tests.Stacks;
using Kind = Portal.Infra.Architecture.ArchitectureNodeKind;

namespace Portal.Tests.Architecture;

/// <summary>The architecture map the environment page draws, made from templates of the real synthesizer (both samples).</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ArchitectureMapTests(SynthesizedSamples samples) : IClassFixture<SynthesizedSamples>
{
    public static TheoryData<string> Specs => new() { "orders-dev", "payments-test" };

    private (ArchitectureMap Map, CfnTemplate T) Get(string name)
    {
        var (_, result, template) = samples.ByName[name];
        return (ArchitectureMap.FromTemplate(result.TemplateJson), template);
    }

    [Theory, MemberData(nameof(Specs))]
    public void EveryPartOfTheSeedsArchitectureIsANode(string name)
    {
        var (map, _) = Get(name);

        Assert.Equal(
            [Kind.Internet, Kind.InternetGateway, Kind.Vpc, Kind.PublicSubnet, Kind.PublicSubnet, Kind.PrivateSubnet, Kind.PrivateSubnet,
             Kind.NatGateway, Kind.PublicLoadBalancer, Kind.InternalLoadBalancer, Kind.FrontendService, Kind.BackendService,
             Kind.Cluster, Kind.ContainerRegistry, Kind.SecretsManager],
            map.Nodes.Select(n => n.Kind).Order());
        Assert.Equal(2, map.Zones);
        Assert.Equal([0, 1], map.Nodes.Where(n => n.Kind == Kind.PublicSubnet).Select(n => n.Zone!.Value).Order());
        Assert.Equal([0, 1], map.Nodes.Where(n => n.Kind == Kind.PrivateSubnet).Select(n => n.Zone!.Value).Order());
        Assert.Equal(map.Nodes.Select(n => n.Id).Distinct().Count(), map.Nodes.Count);
    }

    [Theory, MemberData(nameof(Specs))]
    public void EveryResourceOfTheTemplateBelongsToExactlyOneNode(string name)
    {
        var (map, t) = Get(name);

        var placed = map.Nodes.SelectMany(n => n.Resources).ToList();
        Assert.Equal(placed.Count, placed.Distinct().Count());
        Assert.Equal(t.Resources.Select(r => r.Key).Order(), placed.Order());
    }

    [Theory, MemberData(nameof(Specs))]
    public void TheLoadBalancersAndServicesCarryTheirListenersTargetGroupsRolesLogsAndSecurityGroups(string name)
    {
        var (map, t) = Get(name);
        var publicAlb = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string)p["Scheme"]! == "internet-facing");
        var frontend = t.Single("AWS::ECS::Service", p => (string)p["ServiceName"]! == "frontend-service");
        var frontendTargetGroup = CfnTemplate.Target(frontend.Props["LoadBalancers"]![0]!["TargetGroupArn"]);
        var frontendTask = CfnTemplate.Target(frontend.Props["TaskDefinition"]);
        var frontendGroup = CfnTemplate.Targets(frontend.Props["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]).Single();
        var executionRole = CfnTemplate.Target(t.Props(frontendTask)["ExecutionRoleArn"]);
        var logGroup = CfnTemplate.Target(t.Props(frontendTask)["ContainerDefinitions"]![0]!["LogConfiguration"]!["Options"]!["awslogs-group"]);
        var executionPolicy = t.Single("AWS::IAM::Policy", p => CfnTemplate.Targets(p["Roles"]).Contains(executionRole)).Id;

        var albNode = Assert.Single(map.Nodes, n => n.Kind == Kind.PublicLoadBalancer);
        Assert.Contains(publicAlb.Id, albNode.Resources);
        Assert.Contains(frontendTargetGroup, albNode.Resources);
        Assert.Contains(t.Single("AWS::ElasticLoadBalancingV2::Listener", p => CfnTemplate.Target(p["LoadBalancerArn"]) == publicAlb.Id).Id, albNode.Resources);
        Assert.Contains(CfnTemplate.Targets(publicAlb.Props["SecurityGroups"]).Single(), albNode.Resources);

        var serviceNode = Assert.Single(map.Nodes, n => n.Kind == Kind.FrontendService);
        Assert.Equal("frontend-service", serviceNode.Label);
        var taskRole = CfnTemplate.Target(t.Props(frontendTask)["TaskRoleArn"]);
        var ingress = t.Single("AWS::EC2::SecurityGroupIngress", p => CfnTemplate.Target(p["GroupId"]) == frontendGroup).Id;
        Assert.All(new[] { frontend.Id, frontendTask, executionRole, taskRole, executionPolicy, logGroup, frontendGroup, ingress },
            id => Assert.Contains(id, serviceNode.Resources));
        Assert.Equal("backend-service", Assert.Single(map.Nodes, n => n.Kind == Kind.BackendService).Label);
    }

    [Theory, MemberData(nameof(Specs))]
    public void TheNatGatewaySitsInAPublicSubnetWithItsElasticIpAndPrivateSubnetsRouteThroughIt(string name)
    {
        var (map, t) = Get(name);
        var (natId, natProps) = t.Single("AWS::EC2::NatGateway");

        var nat = Assert.Single(map.Nodes, n => n.Kind == Kind.NatGateway);
        Assert.Equal([natId, CfnTemplate.Target(natProps["AllocationId"])], nat.Resources);
        var subnetOfNat = Assert.Single(map.Nodes, n => n.Resources.Contains(CfnTemplate.Target(natProps["SubnetId"])));
        Assert.Equal(Kind.PublicSubnet, subnetOfNat.Kind);
        Assert.Equal(subnetOfNat.Zone, nat.Zone);
        Assert.All(map.Nodes.Where(n => n.Kind == Kind.PrivateSubnet), s => Assert.Contains(new ArchitectureEdge(s.Id, nat.Id, "outbound"), map.Edges));
        // A subnet node holds its route table, association and default route.
        Assert.All(map.Nodes.Where(n => n.Kind is Kind.PublicSubnet or Kind.PrivateSubnet), s =>
            Assert.Equal(["AWS::EC2::Route", "AWS::EC2::RouteTable", "AWS::EC2::Subnet", "AWS::EC2::SubnetRouteTableAssociation"],
                s.Resources.Select(r => t.Resources[r]!["Type"]!.ToString()).Order()));
    }

    [Theory, MemberData(nameof(Specs))]
    public void RequestsTravelFromTheInternetThroughBothLoadBalancersToTheBackend(string name)
    {
        var (map, _) = Get(name);
        string Of(Kind kind) => Assert.Single(map.Nodes, n => n.Kind == kind).Id;

        var path = new[] { Kind.Internet, Kind.InternetGateway, Kind.PublicLoadBalancer, Kind.FrontendService, Kind.InternalLoadBalancer, Kind.BackendService };
        foreach (var (from, to) in path.Zip(path.Skip(1)))
            Assert.Contains(map.Edges, e => e.From == Of(from) && e.To == Of(to));
        Assert.DoesNotContain(map.Edges, e => e.From == Of(Kind.PublicLoadBalancer) && e.To == Of(Kind.BackendService));
    }

    [Fact]
    public void EcrAndSecretsManagerListTheImagesAndSecretsTheTaskDefinitionsName()
    {
        var (orders, _) = Get("orders-dev");
        var (payments, _) = Get("payments-test");

        Assert.Equal(["frontend:1.4.2", "backend@sha256:0faeb842…"], orders.Node(ArchitectureMap.RegistryId)!.Details);
        Assert.Equal(["orders/api-AbCdEf"], orders.Node(ArchitectureMap.SecretsId)!.Details);
        Assert.Equal(["payments/web:2024.11.3-rc1", "payments/api:3.2.0"], payments.Node(ArchitectureMap.RegistryId)!.Details);
        Assert.Equal(["payments/session-Q1w2E3", "payments/db-Zx9Yw8", "payments/stripe-Ab12Cd", "payments/webhook-Kk7Jj6"],
            payments.Node(ArchitectureMap.SecretsId)!.Details);
        Assert.Empty(orders.Node(ArchitectureMap.RegistryId)!.Resources);
    }

    [Fact]
    public void TasksAreSpreadOverTheZonesOfTheServicesSubnets()
    {
        var (orders, _) = Get("orders-dev");
        var (payments, _) = Get("payments-test");

        Assert.Equal([1, 1], orders.Node("frontend")!.TasksPerZone);
        Assert.Equal([1, 0], payments.Node("frontend")!.TasksPerZone);
        Assert.Equal([2, 1], payments.Node("backend")!.TasksPerZone);
    }

    [Fact]
    public void NodesAreFoundByTypeAndReferenceNotByLogicalIdNames()
    {
        var (_, result, t) = samples.ByName["orders-dev"];
        var original = ArchitectureMap.FromTemplate(result.TemplateJson);
        // Every logical id becomes a meaningless one (R0, R1, …) wherever it appears: keys, Ref and Fn::GetAtt.
        var renames = t.Resources.Select((r, i) => (From: r.Key, To: $"R{i}")).ToList();
        var renamedJson = renames.Aggregate(result.TemplateJson, (json, r) => json.Replace($"\"{r.From}\"", $"\"{r.To}\"", StringComparison.Ordinal));
        var byNewId = renames.ToDictionary(r => r.From, r => r.To);

        var renamed = ArchitectureMap.FromTemplate(renamedJson);

        Assert.Equal(original.Nodes.Select(n => (n.Id, n.Kind)), renamed.Nodes.Select(n => (n.Id, n.Kind)));
        foreach (var node in original.Nodes)
            Assert.Equal(node.Resources.Select(r => byNewId[r]).Order(), renamed.Node(node.Id)!.Resources.Order());
    }

    [Fact]
    public void ATemplateThatIsNotJsonIsRefusedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => ArchitectureMap.FromTemplate("{not json"));
        Assert.Contains("not valid JSON", error.Message);
        Assert.Throws<ArgumentException>(() => ArchitectureMap.FromTemplate("{}"));
    }
}
