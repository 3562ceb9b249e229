namespace Portal.Sandbox;

/// <summary>What the sandbox knows about resource types: how long they take, what forces a replacement.</summary>
internal static class ResourceCatalog
{
    // Seconds at TimeScale 1.0, close to what AWS takes to create each.
    private static readonly Dictionary<string, double> DurationSeconds = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::NatGateway"] = 90,
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = 150,
        ["AWS::ECS::Service"] = 60,
        ["AWS::EC2::SecurityGroup"] = 3,
        ["AWS::IAM::Role"] = 15,
        ["AWS::EC2::VPC"] = 3,
    };
    private const double DefaultDurationSeconds = 2;

    // Properties whose change makes CloudFormation replace the resource (Replacement: True).
    private static readonly Dictionary<string, HashSet<string>> ImmutableProperties = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::VPC"] = ["CidrBlock", "InstanceTenancy"],
        ["AWS::EC2::Subnet"] = ["CidrBlock", "AvailabilityZone", "VpcId"],
        ["AWS::EC2::SecurityGroup"] = ["GroupDescription", "VpcId", "GroupName"],
        ["AWS::EC2::NatGateway"] = ["SubnetId", "AllocationId", "ConnectivityType"],
        ["AWS::EC2::Route"] = ["RouteTableId", "DestinationCidrBlock"],
        ["AWS::EC2::RouteTable"] = ["VpcId"],
        ["AWS::EC2::SubnetRouteTableAssociation"] = ["SubnetId"],
        ["AWS::EC2::EIP"] = ["Domain"],
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = ["Scheme", "Name", "Type"],
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = ["Port", "Protocol", "TargetType", "VpcId", "Name"],
        ["AWS::ElasticLoadBalancingV2::Listener"] = ["LoadBalancerArn"],
        ["AWS::ECS::Cluster"] = ["ClusterName"],
        ["AWS::ECS::Service"] = ["ServiceName", "Cluster", "LaunchType"],
        ["AWS::Logs::LogGroup"] = ["LogGroupName"],
        ["AWS::IAM::Role"] = ["RoleName", "Path"],
        ["AWS::SQS::Queue"] = ["QueueName", "FifoQueue"],
        ["AWS::Events::Rule"] = ["Name", "EventBusName"],
    };

    // Every property change replaces these: task definitions are immutable revisions; ingress/egress rules too.
    private static readonly HashSet<string> ReplacedOnAnyChange = new(StringComparer.Ordinal)
    {
        "AWS::ECS::TaskDefinition", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
    };

    // The property that gives a resource a custom name, which a replacement cannot reuse.
    private static readonly Dictionary<string, string> NameProperty = new(StringComparer.Ordinal)
    {
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "Name",
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = "Name",
        ["AWS::EC2::SecurityGroup"] = "GroupName",
        ["AWS::ECS::Service"] = "ServiceName",
        ["AWS::ECS::Cluster"] = "ClusterName",
        ["AWS::Logs::LogGroup"] = "LogGroupName",
        ["AWS::IAM::Role"] = "RoleName",
        ["AWS::SQS::Queue"] = "QueueName",
        ["AWS::Events::Rule"] = "Name",
    };

    // IAM resources need CAPABILITY_IAM; with the named property set, CAPABILITY_NAMED_IAM.
    private static readonly Dictionary<string, string?> IamTypes = new(StringComparer.Ordinal)
    {
        ["AWS::IAM::Role"] = "RoleName",
        ["AWS::IAM::User"] = "UserName",
        ["AWS::IAM::Group"] = "GroupName",
        ["AWS::IAM::ManagedPolicy"] = "ManagedPolicyName",
        ["AWS::IAM::Policy"] = null,
        ["AWS::IAM::InstanceProfile"] = "InstanceProfileName",
        ["AWS::IAM::AccessKey"] = null,
    };

    public static TimeSpan Duration(string type) =>
        TimeSpan.FromSeconds(DurationSeconds.GetValueOrDefault(type, DefaultDurationSeconds));

    public static bool RequiresReplacement(string type, string property) =>
        ReplacedOnAnyChange.Contains(type) || (ImmutableProperties.TryGetValue(type, out var names) && names.Contains(property));

    public static string? CustomNameProperty(string type) => NameProperty.GetValueOrDefault(type);

    /// <summary>The capability a template's resources require, or null.</summary>
    public static string? RequiredCapability(IEnumerable<TemplateResource> resources)
    {
        string? required = null;
        foreach (var resource in resources)
        {
            if (!IamTypes.TryGetValue(resource.Type, out var nameProperty))
                continue;
            if (nameProperty is not null && resource.Properties.ContainsKey(nameProperty))
                return "CAPABILITY_NAMED_IAM";
            required = "CAPABILITY_IAM";
        }
        return required;
    }
}
