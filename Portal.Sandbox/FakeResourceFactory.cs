using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// Makes up physical ids and attributes shaped like AWS's (vpc-0…, sg-0…, load balancer ARNs and DNS names,
/// task definition revisions), from the resource's rendered properties.
/// </summary>
internal sealed class FakeResourceFactory(string region, string accountId)
{
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly ConcurrentDictionary<string, int> _taskDefinitionRevisions = new(StringComparer.Ordinal);

    /// <summary>The newest revision of every task definition family (part of the account: a family's revisions never repeat).</summary>
    public IReadOnlyDictionary<string, int> TaskDefinitionRevisions
    {
        get => new SortedDictionary<string, int>(_taskDefinitionRevisions, StringComparer.Ordinal);
        init => _taskDefinitionRevisions = new ConcurrentDictionary<string, int>(value, StringComparer.Ordinal);
    }

    /// <summary>The account's SQS endpoint, the base of queue URLs (<c>&lt;SqsUrl&gt;/&lt;account&gt;/&lt;name&gt;</c>).</summary>
    public string SqsUrl { get; set; } = "http://localhost/" + SandboxHosting.SqsSegment;

    public DeployedResource Create(string logicalId, string type, JsonObject properties, StackIdentity stack)
    {
        string? Property(string name) => properties[name] is JsonValue v ? v.ToString() : null;
        var attributes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        string physicalId;

        switch (type)
        {
            case "AWS::EC2::VPC":
                physicalId = Id("vpc");
                attributes["VpcId"] = physicalId;
                attributes["CidrBlock"] = Property("CidrBlock") ?? "10.0.0.0/16";
                attributes["DefaultSecurityGroup"] = Id("sg");
                attributes["DefaultNetworkAcl"] = Id("acl");
                break;
            case "AWS::EC2::Subnet":
                physicalId = Id("subnet");
                attributes["SubnetId"] = physicalId;
                attributes["AvailabilityZone"] = Property("AvailabilityZone") ?? $"{region}a";
                attributes["VpcId"] = Property("VpcId") ?? Id("vpc");
                attributes["CidrBlock"] = Property("CidrBlock") ?? "10.0.0.0/24";
                break;
            case "AWS::EC2::SecurityGroup":
                physicalId = Id("sg");
                attributes["GroupId"] = physicalId;
                attributes["VpcId"] = Property("VpcId") ?? Id("vpc");
                break;
            case "AWS::EC2::SecurityGroupIngress" or "AWS::EC2::SecurityGroupEgress":
                physicalId = Id("sgr");
                attributes["Id"] = physicalId;
                break;
            case "AWS::EC2::InternetGateway":
                physicalId = Id("igw");
                attributes["InternetGatewayId"] = physicalId;
                break;
            case "AWS::EC2::EIP":
                physicalId = $"{Random.Shared.Next(3, 100)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
                attributes["PublicIp"] = physicalId;
                attributes["AllocationId"] = Id("eipalloc");
                break;
            case "AWS::EC2::NatGateway":
                physicalId = Id("nat");
                attributes["NatGatewayId"] = physicalId;
                break;
            case "AWS::EC2::RouteTable":
                physicalId = Id("rtb");
                attributes["RouteTableId"] = physicalId;
                break;
            case "AWS::EC2::Route":
                physicalId = $"{Property("RouteTableId") ?? Id("rtb")}|{Property("DestinationCidrBlock") ?? "0.0.0.0/0"}";
                break;
            case "AWS::EC2::SubnetRouteTableAssociation":
                physicalId = Id("rtbassoc");
                attributes["Id"] = physicalId;
                break;
            case "AWS::EC2::VPCGatewayAttachment":
                physicalId = $"IGW|{Property("VpcId") ?? Id("vpc")}";
                break;
            case "AWS::ElasticLoadBalancingV2::LoadBalancer":
                physicalId = LoadBalancer(logicalId, properties, stack, attributes);
                break;
            case "AWS::ElasticLoadBalancingV2::TargetGroup":
                {
                    var name = Property("Name") ?? GeneratedName(stack.Name, logicalId, 8, 8);
                    var fullName = $"targetgroup/{name}/{Hex(16)}";
                    physicalId = Arn("elasticloadbalancing", fullName);
                    attributes["TargetGroupArn"] = physicalId;
                    attributes["TargetGroupFullName"] = fullName;
                    attributes["TargetGroupName"] = name;
                    attributes["LoadBalancerArns"] = new JsonArray();
                    break;
                }
            case "AWS::ElasticLoadBalancingV2::Listener":
                {
                    // .../loadbalancer/app/<name>/<id> → .../listener/app/<name>/<id>/<listener id>
                    var loadBalancer = Property("LoadBalancerArn") is { } lb && lb.IndexOf(":loadbalancer/", StringComparison.Ordinal) is var at and >= 0
                        ? lb[(at + ":loadbalancer/".Length)..]
                        : $"app/{GeneratedName(stack.Name, logicalId, 13, 8)}/{Hex(16)}";
                    physicalId = Arn("elasticloadbalancing", $"listener/{loadBalancer}/{Hex(16)}");
                    attributes["ListenerArn"] = physicalId;
                    break;
                }
            case "AWS::ECS::Cluster":
                {
                    physicalId = Property("ClusterName") ?? GeneratedName(stack.Name, logicalId, 20, 20);
                    attributes["Arn"] = Arn("ecs", $"cluster/{physicalId}");
                    break;
                }
            case "AWS::ECS::TaskDefinition":
                {
                    var family = Property("Family") ?? $"{stack.Name}{logicalId}{Hex(8).ToUpperInvariant()}";
                    var revision = _taskDefinitionRevisions.AddOrUpdate(family, 1, (_, r) => r + 1);
                    physicalId = Arn("ecs", $"task-definition/{family}:{revision}");
                    attributes["TaskDefinitionArn"] = physicalId;
                    break;
                }
            case "AWS::ECS::Service":
                {
                    var name = Property("ServiceName") ?? GeneratedName(stack.Name, logicalId, 20, 20);
                    var cluster = Property("Cluster") is { } c ? c[(c.LastIndexOf('/') + 1)..] : "default";
                    physicalId = Arn("ecs", $"service/{cluster}/{name}");
                    attributes["Name"] = name;
                    attributes["ServiceArn"] = physicalId;
                    break;
                }
            case "AWS::IAM::Role":
                physicalId = Property("RoleName") ?? GeneratedName(stack.Name, logicalId, 20, 30);
                attributes["Arn"] = $"arn:aws:iam::{accountId}:role/{physicalId}";
                attributes["RoleId"] = $"AROA{RandomText(UpperAlphanumeric, 17)}";
                break;
            case "AWS::SQS::Queue":
                {
                    // CloudFormation's generated queue names fit SQS's 80 characters.
                    var name = Property("QueueName") ?? GeneratedName(stack.Name, logicalId, 40, 25);
                    physicalId = $"{SqsUrl.TrimEnd('/')}/{accountId}/{name}";
                    attributes["Arn"] = Arn("sqs", name);
                    attributes["QueueName"] = name;
                    attributes["QueueUrl"] = physicalId;
                    break;
                }
            case "AWS::Events::Rule":
                physicalId = Property("Name") ?? GeneratedName(stack.Name, logicalId, 20, 30);
                attributes["Arn"] = Property("EventBusName") is { } bus and not "default"
                    ? Arn("events", $"rule/{bus[(bus.LastIndexOf('/') + 1)..]}/{physicalId}")
                    : Arn("events", $"rule/{physicalId}");
                break;
            case "AWS::Logs::LogGroup":
                physicalId = Property("LogGroupName") ?? GeneratedName(stack.Name, logicalId, 20, 30);
                attributes["Arn"] = Arn("logs", $"log-group:{physicalId}:*");
                break;
            default:
                {
                    physicalId = GeneratedName(stack.Name, logicalId, 20, 30);
                    var parts = type.Split("::");
                    attributes["Arn"] = Arn(parts[1].ToLowerInvariant(), $"{parts[^1].ToLowerInvariant()}/{physicalId}");
                    break;
                }
        }
        return new DeployedResource(logicalId, type, physicalId, attributes);
    }

    private string LoadBalancer(string logicalId, JsonObject properties, StackIdentity stack, Dictionary<string, JsonNode?> attributes)
    {
        var name = properties["Name"]?.ToString() ?? GeneratedName(stack.Name, logicalId, 13, 8);
        var type = properties["Type"]?.ToString() ?? "application";
        var fullName = $"{(type == "network" ? "net" : "app")}/{name}/{Hex(16)}";
        var internalPrefix = properties["Scheme"]?.ToString() == "internal" ? "internal-" : "";
        var arn = Arn("elasticloadbalancing", $"loadbalancer/{fullName}");
        attributes["LoadBalancerArn"] = arn;
        attributes["LoadBalancerFullName"] = fullName;
        attributes["LoadBalancerName"] = name;
        attributes["DNSName"] = $"{internalPrefix}{name}-{Random.Shared.NextInt64(100_000_000, 2_000_000_000)}.{region}.elb.amazonaws.com";
        attributes["CanonicalHostedZoneID"] = "Z35SXDOTRQ7X7K";
        attributes["SecurityGroups"] = properties["SecurityGroups"]?.DeepClone() ?? new JsonArray();
        return arn;
    }

    private string Arn(string service, string resource) => $"arn:aws:{service}:{region}:{accountId}:{resource}";

    private static string Id(string prefix) => $"{prefix}-0{Hex(16)}";

    /// <summary>CloudFormation's name for an unnamed resource: stack and logical id, truncated, then a random suffix.</summary>
    private static string GeneratedName(string stackName, string logicalId, int stackChars, int logicalChars) =>
        $"{stackName[..Math.Min(stackChars, stackName.Length)]}-{logicalId[..Math.Min(logicalChars, logicalId.Length)]}-{RandomText(UpperAlphanumeric, 12)}";

    private static string Hex(int length) => RandomText("0123456789abcdef", length);

    private static string RandomText(string alphabet, int length) =>
        string.Create(length, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = chars[Random.Shared.Next(chars.Length)];
        });
}
