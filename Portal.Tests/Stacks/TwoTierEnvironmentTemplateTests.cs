using System.Text.Json.Nodes;
using Portal.Infra.Environments;
using Portal.Infra.Guardrails;
using Portal.Infra.Synthesis;
using Portal.Tests.Environments;

namespace Portal.Tests.Stacks;

/// <summary>Synthesizes both sample specs once; jsii makes each synth cost real time.</summary>
public sealed class SynthesizedSamples : IAsyncLifetime
{
    public Dictionary<string, (EnvironmentSpec Spec, SynthResult Result, CfnTemplate Template)> ByName { get; } = [];

    public async Task InitializeAsync()
    {
        var synthesizer = new TemplateSynthesizer();
        foreach (var spec in new[] { SpecSamples.Load(SpecSamples.OrdersDev), SpecSamples.Load(SpecSamples.PaymentsTest) })
        {
            var result = await synthesizer.SynthesizeAsync(new SynthRequest(spec, "alice"));
            ByName[spec.Name] = (spec, result, new CfnTemplate(result.TemplateJson));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class TwoTierEnvironmentTemplateTests(SynthesizedSamples samples) : IClassFixture<SynthesizedSamples>
{
    public static TheoryData<string> Specs => new() { "orders-dev", "payments-test" };

    private (EnvironmentSpec Spec, SynthResult Result, CfnTemplate T) Get(string name) => samples.ByName[name];

    [Theory, MemberData(nameof(Specs))]
    public void VpcSpansTwoAzsWithAPublicAndAPrivateSubnetInEach(string name)
    {
        var (_, _, t) = Get(name);
        var (vpcId, _) = t.Single("AWS::EC2::VPC");
        var subnets = t.OfType("AWS::EC2::Subnet");
        Assert.Equal(4, subnets.Count);
        Assert.All(subnets, s => Assert.Equal(vpcId, CfnTemplate.Target(s.Props["VpcId"])));
        var publicSubnets = subnets.Where(s => t.IsPublicSubnet(s.Id)).ToList();
        var privateSubnets = subnets.Where(s => !t.IsPublicSubnet(s.Id)).ToList();
        Assert.Equal(2, publicSubnets.Count);
        Assert.Equal(2, privateSubnets.Count);
        // Each kind has one subnet in each of two distinct AZs: Fn::Select 0 and 1 of Fn::GetAZs.
        foreach (var kind in new[] { publicSubnets, privateSubnets })
            Assert.Equal([0, 1], kind.Select(s => (int)s.Props["AvailabilityZone"]!["Fn::Select"]![0]!).Order());
    }

    [Theory, MemberData(nameof(Specs))]
    public void PublicSubnetsRouteToTheIgwAndPrivateSubnetsDefaultToTheNat(string name)
    {
        var (_, _, t) = Get(name);
        var (igw, _) = t.Single("AWS::EC2::InternetGateway");
        t.Single("AWS::EC2::VPCGatewayAttachment", p => CfnTemplate.Target(p["InternetGatewayId"]) == igw);
        var (nat, natProps) = t.Single("AWS::EC2::NatGateway");
        var (eip, _) = t.Single("AWS::EC2::EIP");
        Assert.Equal(eip, CfnTemplate.Target(natProps["AllocationId"]));

        var publicSubnetIds = t.OfType("AWS::EC2::Subnet").Where(s => t.IsPublicSubnet(s.Id)).Select(s => s.Id).ToHashSet();
        Assert.Contains(CfnTemplate.Target(natProps["SubnetId"]), publicSubnetIds);

        var tableOfSubnet = t.OfType("AWS::EC2::SubnetRouteTableAssociation")
            .ToDictionary(a => CfnTemplate.Target(a.Props["SubnetId"]), a => CfnTemplate.Target(a.Props["RouteTableId"]));
        var defaultRoutes = t.OfType("AWS::EC2::Route")
            .Where(r => (string?)r.Props["DestinationCidrBlock"] == "0.0.0.0/0")
            .ToDictionary(r => CfnTemplate.Target(r.Props["RouteTableId"]), r => r.Props);
        foreach (var (subnet, table) in tableOfSubnet)
        {
            var route = defaultRoutes[table];
            if (publicSubnetIds.Contains(subnet))
                Assert.Equal(igw, CfnTemplate.Target(route["GatewayId"]));
            else
                Assert.Equal(nat, CfnTemplate.Target(route["NatGatewayId"]));
        }
    }

    [Theory, MemberData(nameof(Specs))]
    public void PublicAlbListensOnHttp80InPublicSubnetsAndForwardsToTheFrontend(string name)
    {
        var (spec, _, t) = Get(name);
        var (alb, albProps) = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string?)p["Scheme"] == "internet-facing");
        Assert.All(CfnTemplate.Targets(albProps["Subnets"]), s => Assert.True(t.IsPublicSubnet(s)));
        var tg = ListenerTargetGroup(t, alb, port: 80);
        AssertTargetGroup(t, tg, spec.Frontend.ContainerPort, spec.Frontend.HealthCheckPath);
    }

    [Theory, MemberData(nameof(Specs))]
    public void InternalAlbListensOnTheBackendListenerPortInPrivateSubnets(string name)
    {
        var (spec, _, t) = Get(name);
        var (alb, albProps) = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string?)p["Scheme"] == "internal");
        Assert.All(CfnTemplate.Targets(albProps["Subnets"]), s => Assert.False(t.IsPublicSubnet(s)));
        var tg = ListenerTargetGroup(t, alb, spec.Backend.ListenerPort);
        AssertTargetGroup(t, tg, spec.Backend.ContainerPort, spec.Backend.HealthCheckPath);
    }

    [Theory, MemberData(nameof(Specs))]
    public void SecurityGroupsAreExactlyTheSeedsChain(string name)
    {
        var (spec, _, t) = Get(name);
        string Role(string sg) => sg switch
        {
            _ when sg.StartsWith("PublicAlbSecurityGroup") => "public-alb",
            _ when sg.StartsWith("FrontendTasksSecurityGroup") => "frontend",
            _ when sg.StartsWith("InternalAlbSecurityGroup") => "internal-alb",
            _ when sg.StartsWith("BackendTasksSecurityGroup") => "backend",
            _ => throw new Xunit.Sdk.XunitException($"unexpected security group {sg}"),
        };
        var rules = new List<string>();
        foreach (var (id, props) in t.OfType("AWS::EC2::SecurityGroup"))
        {
            foreach (var r in props["SecurityGroupIngress"]?.AsArray() ?? [])
                rules.Add($"{Role(id)} in from {Peer(r!, "SourceSecurityGroupId")} tcp {r!["FromPort"]}-{r["ToPort"]} {r["IpProtocol"]}");
            foreach (var r in props["SecurityGroupEgress"]?.AsArray() ?? [])
                rules.Add($"{Role(id)} out to {Peer(r!, "DestinationSecurityGroupId")} tcp {r!["FromPort"]}-{r["ToPort"]} {r["IpProtocol"]}");
        }
        foreach (var (_, r) in t.OfType("AWS::EC2::SecurityGroupIngress"))
            rules.Add($"{Role(CfnTemplate.Target(r["GroupId"]))} in from {Peer(r, "SourceSecurityGroupId")} tcp {r["FromPort"]}-{r["ToPort"]} {r["IpProtocol"]}");
        foreach (var (_, r) in t.OfType("AWS::EC2::SecurityGroupEgress"))
            rules.Add($"{Role(CfnTemplate.Target(r["GroupId"]))} out to {Peer(r, "DestinationSecurityGroupId")} tcp {r["FromPort"]}-{r["ToPort"]} {r["IpProtocol"]}");

        string Peer(JsonNode rule, string groupKey) =>
            rule[groupKey] is { } g ? Role(CfnTemplate.Target(g)) : (string)rule["CidrIp"]!;

        int fe = spec.Frontend.ContainerPort, lp = spec.Backend.ListenerPort, be = spec.Backend.ContainerPort;
        string[] expected =
        [
            "public-alb in from 0.0.0.0/0 tcp 80-80 tcp",
            $"public-alb out to frontend tcp {fe}-{fe} tcp",
            $"frontend in from public-alb tcp {fe}-{fe} tcp",
            $"frontend out to internal-alb tcp {lp}-{lp} tcp",
            "frontend out to 0.0.0.0/0 tcp 443-443 tcp",
            $"internal-alb in from frontend tcp {lp}-{lp} tcp",
            $"internal-alb out to backend tcp {be}-{be} tcp",
            $"backend in from internal-alb tcp {be}-{be} tcp",
            "backend out to 0.0.0.0/0 tcp 443-443 tcp",
        ];
        Assert.Equal(expected.Order(), rules.Order());
    }

    [Theory, MemberData(nameof(Specs))]
    public void EachTierRunsAsItsNamedFargateServiceInPrivateSubnetsWithoutPublicIp(string name)
    {
        var (spec, _, t) = Get(name);
        var (cluster, _) = t.Single("AWS::ECS::Cluster");
        var services = t.OfType("AWS::ECS::Service").ToDictionary(s => (string)s.Props["ServiceName"]!, s => s.Props);
        Assert.Equal(["backend-service", "frontend-service"], services.Keys.Order());
        foreach (var (serviceName, tier) in new[] { ("frontend-service", (ServiceSpec)spec.Frontend), ("backend-service", spec.Backend) })
        {
            var s = services[serviceName];
            Assert.Equal(cluster, CfnTemplate.Target(s["Cluster"]));
            Assert.Equal("FARGATE", (string?)s["LaunchType"]);
            Assert.Equal(tier.DesiredCount, (int)s["DesiredCount"]!);
            var network = s["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
            Assert.Equal("DISABLED", (string?)network["AssignPublicIp"]);
            Assert.All(CfnTemplate.Targets(network["Subnets"]), subnet => Assert.False(t.IsPublicSubnet(subnet)));
            var breaker = s["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!;
            Assert.True((bool)breaker["Enable"]!);
            Assert.True((bool)breaker["Rollback"]!);
            Assert.Equal(tier.ContainerPort, (int)s["LoadBalancers"]![0]!["ContainerPort"]!);

            var task = t.Props(CfnTemplate.Target(s["TaskDefinition"]));
            Assert.Equal("awsvpc", (string?)task["NetworkMode"]);
            Assert.Equal(["FARGATE"], task["RequiresCompatibilities"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(tier.Cpu.ToString(), (string?)task["Cpu"]);
            Assert.Equal(tier.MemoryMiB.ToString(), (string?)task["Memory"]);
            var container = Assert.Single(task["ContainerDefinitions"]!.AsArray())!;
            Assert.Null(container["HealthCheck"]); // target groups are the only health check layer
            Assert.Equal(tier.ContainerPort, (int)container["PortMappings"]![0]!["ContainerPort"]!);
        }
    }

    [Theory, MemberData(nameof(Specs))]
    public void ImagesComeFromEcrByTagOrDigest(string name)
    {
        var (spec, _, t) = Get(name);
        foreach (var (serviceName, tier) in new[] { ("frontend-service", (ServiceSpec)spec.Frontend), ("backend-service", spec.Backend) })
        {
            var image = Container(t, serviceName)["Image"]!.ToJsonString();
            var separator = tier.Image.Tag is null ? '@' : ':';
            Assert.Contains($"/{tier.Image.RepositoryName}{separator}{tier.Image.TagOrDigest}", image);
            Assert.Contains(".dkr.ecr.", image);
            if (tier.Image.RepositoryUri is { } uri)
                Assert.Contains($"{uri.Account}.dkr.ecr.{uri.Region}.", image); // the URI's registry, not the stack's
        }
    }

    [Theory, MemberData(nameof(Specs))]
    public void EnvironmentAndSecretsReachTheContainersAndTheExecutionRoleReadsExactlyThoseSecrets(string name)
    {
        var (spec, _, t) = Get(name);
        foreach (var (serviceName, tier) in new[] { ("frontend-service", (ServiceSpec)spec.Frontend), ("backend-service", spec.Backend) })
        {
            var container = Container(t, serviceName);
            var env = (container["Environment"]?.AsArray() ?? []).ToDictionary(e => (string)e!["Name"]!, e => e!["Value"]!);
            foreach (var (key, value) in tier.Environment)
                Assert.Equal(value, (string)env[key]!);
            Assert.Equal(serviceName == "frontend-service", env.ContainsKey("BACKEND_URL"));

            var secrets = (container["Secrets"]?.AsArray() ?? []).ToDictionary(s => (string)s!["Name"]!, s => (string)s!["ValueFrom"]!);
            Assert.Equal(tier.Secrets.Select(s => s.Name).Order(), secrets.Keys.Order());
            foreach (var secret in tier.Secrets)
                Assert.Equal(secret.ValueFrom, secrets[secret.Name]);

            var task = t.Props(CfnTemplate.Target(Service(t, serviceName)["TaskDefinition"]));
            var executionRole = CfnTemplate.Target(task["ExecutionRoleArn"]);
            var readable = t.OfType("AWS::IAM::Policy")
                .Where(p => CfnTemplate.Targets(p.Props["Roles"]).Contains(executionRole))
                .SelectMany(p => p.Props["PolicyDocument"]!["Statement"]!.AsArray())
                .Where(s => s!["Action"]!.ToJsonString().Contains("secretsmanager:GetSecretValue"))
                .Select(s => (string)s!["Resource"]!);
            Assert.Equal(tier.Secrets.Select(s => s.SecretArn).Order(), readable.Order());
        }
    }

    [Theory, MemberData(nameof(Specs))]
    public void FrontendLearnsTheBackendUrlFromTheInternalAlb(string name)
    {
        var (spec, _, t) = Get(name);
        var (internalAlb, _) = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string?)p["Scheme"] == "internal");
        var backendUrl = Container(t, "frontend-service")["Environment"]!.AsArray()
            .Single(e => (string)e!["Name"]! == "BACKEND_URL")!["Value"]!["Fn::Join"]![1]!.AsArray();
        Assert.Equal("http://", (string)backendUrl[0]!);
        Assert.Equal(internalAlb, CfnTemplate.Target(backendUrl[1]));
        Assert.Equal("DNSName", (string)backendUrl[1]!["Fn::GetAtt"]![1]!);
        Assert.Equal($":{spec.Backend.ListenerPort}", (string)backendUrl[2]!);
    }

    [Theory, MemberData(nameof(Specs))]
    public void EachServiceLogsToItsOwnGroupWithARetentionPeriod(string name)
    {
        var (_, _, t) = Get(name);
        var groups = t.OfType("AWS::Logs::LogGroup");
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.True((int)g.Props["RetentionInDays"]! > 0));
        var used = new[] { "frontend-service", "backend-service" }
            .Select(s => CfnTemplate.Target(Container(t, s)["LogConfiguration"]!["Options"]!["awslogs-group"]));
        Assert.Equal(groups.Select(g => g.Id).Order(), used.Order());
    }

    [Theory, MemberData(nameof(Specs))]
    public void EveryTaggableResourceCarriesTheEnvironmentAndRequester(string name)
    {
        var (spec, _, t) = Get(name);
        var tagged = t.Resources.Select(r => r.Value!["Properties"]?["Tags"]).Where(tags => tags is JsonArray).ToList();
        Assert.True(tagged.Count > 20);
        Assert.All(tagged, tags =>
        {
            var map = tags!.AsArray().ToDictionary(x => (string)x!["Key"]!, x => (string)x!["Value"]!);
            Assert.Equal(spec.Name, map["portal:environment"]);
            Assert.Equal("alice", map["portal:requested-by"]);
        });
    }

    [Theory, MemberData(nameof(Specs))]
    public void OutputsGiveThePublicUrlBackendUrlClusterAndServices(string name)
    {
        var (_, _, t) = Get(name);
        var outputs = t.Root["Outputs"]!.AsObject();
        Assert.Equal(["BackendServiceName", "BackendUrl", "ClusterName", "FrontendServiceName", "PublicUrl"],
            outputs.Select(o => o.Key).Order());
        var (publicAlb, _) = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string?)p["Scheme"] == "internet-facing");
        Assert.Contains(publicAlb, outputs["PublicUrl"]!["Value"]!.ToJsonString());
    }

    [Theory, MemberData(nameof(Specs))]
    public void OutputsGiveTheBackendUrlTheFrontendUsesTheClustersNameAndEachServicesName(string name)
    {
        var (spec, _, t) = Get(name);
        var outputs = t.Root["Outputs"]!.AsObject();
        void AssertOutput(string expectedJson, string key) =>
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), outputs[key]!["Value"]), $"{key}: {outputs[key]!["Value"]!.ToJsonString()}");

        var (internalAlb, _) = t.Single("AWS::ElasticLoadBalancingV2::LoadBalancer", p => (string?)p["Scheme"] == "internal");
        AssertOutput($$"""{ "Fn::Join": [ "", [ "http://", { "Fn::GetAtt": [ "{{internalAlb}}", "DNSName" ] }, ":{{spec.Backend.ListenerPort}}" ] ] }""", "BackendUrl");
        var backendUrl = Container(t, "frontend-service")["Environment"]!.AsArray().Single(e => (string)e!["Name"]! == "BACKEND_URL")!["Value"];
        Assert.True(JsonNode.DeepEquals(backendUrl, outputs["BackendUrl"]!["Value"]), "BackendUrl differs from the frontend's BACKEND_URL");
        var (cluster, _) = t.Single("AWS::ECS::Cluster");
        AssertOutput($$"""{ "Ref": "{{cluster}}" }""", "ClusterName");
        var (frontend, _) = t.Single("AWS::ECS::Service", p => (string?)p["ServiceName"] == "frontend-service");
        AssertOutput($$"""{ "Fn::GetAtt": [ "{{frontend}}", "Name" ] }""", "FrontendServiceName");
        var (backend, _) = t.Single("AWS::ECS::Service", p => (string?)p["ServiceName"] == "backend-service");
        AssertOutput($$"""{ "Fn::GetAtt": [ "{{backend}}", "Name" ] }""", "BackendServiceName");
    }

    [Theory, MemberData(nameof(Specs))]
    public void TemplateDeploysWithPlainCloudformation(string name)
    {
        var (_, result, t) = Get(name);
        Assert.Null(t.Root["Parameters"]);    // no BootstrapVersion
        Assert.Null(t.Root["Rules"]);         // no CheckBootstrapVersion
        Assert.DoesNotContain(t.Resources, r =>
        {
            var type = (string)r.Value!["Type"]!;
            return type.StartsWith("Custom::") || type.StartsWith("AWS::Lambda::") || type.StartsWith("AWS::CDK::")
                || type == "AWS::CloudFormation::CustomResource";
        });
        Assert.DoesNotContain("cdk-hnb659fds", result.TemplateJson); // bootstrap bucket or roles
        Assert.DoesNotContain("\n", result.TemplateJson);             // minified
        Assert.True(result.TemplateBytes <= TemplateSynthesizer.MaxTemplateBodyBytes);
    }

    [Theory, MemberData(nameof(Specs))]
    public void SecurityChainGuardrailPassesOnTheSynthesizedTemplate(string name)
    {
        var result = SecurityChainCheck.Check(Get(name).Result.TemplateJson);
        Assert.True(result.Passed, string.Join("\n", result.Findings.Select(f => $"{f.Rule}: {f.Message}")));
    }

    [Theory, MemberData(nameof(Specs))]
    public void ResourceSummaryCountsEveryResourceByType(string name)
    {
        var (_, result, t) = Get(name);
        Assert.Equal(t.Resources.Count, result.ResourceTotal);
        Assert.Equal(2, result.ResourceCounts["AWS::ECS::Service"]);
        Assert.Equal(4, result.ResourceCounts["AWS::EC2::SecurityGroup"]);
        Assert.Equal(2, result.ResourceCounts["AWS::ElasticLoadBalancingV2::LoadBalancer"]);
        Assert.Equal(1, result.ResourceCounts["AWS::EC2::NatGateway"]);
    }

    private static string ListenerTargetGroup(CfnTemplate t, string loadBalancer, int port)
    {
        var (_, listener) = t.Single("AWS::ElasticLoadBalancingV2::Listener",
            p => CfnTemplate.Target(p["LoadBalancerArn"]) == loadBalancer);
        Assert.Equal(port, (int)listener["Port"]!);
        Assert.Equal("HTTP", (string?)listener["Protocol"]);
        var action = Assert.Single(listener["DefaultActions"]!.AsArray())!;
        Assert.Equal("forward", (string?)action["Type"]);
        return CfnTemplate.Target(action["TargetGroupArn"]);
    }

    private static void AssertTargetGroup(CfnTemplate t, string targetGroup, int port, string healthCheckPath)
    {
        var tg = t.Props(targetGroup);
        Assert.Equal("ip", (string?)tg["TargetType"]);
        Assert.Equal(port, (int)tg["Port"]!);
        Assert.Equal(healthCheckPath, (string?)tg["HealthCheckPath"]);
    }

    private static JsonObject Service(CfnTemplate t, string serviceName) =>
        t.Single("AWS::ECS::Service", p => (string?)p["ServiceName"] == serviceName).Props;

    private static JsonNode Container(CfnTemplate t, string serviceName) =>
        t.Props(CfnTemplate.Target(Service(t, serviceName)["TaskDefinition"]))["ContainerDefinitions"]![0]!;
}
