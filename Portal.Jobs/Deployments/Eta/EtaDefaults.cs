namespace Portal.Jobs.Deployments.Eta;

/// <summary>
/// What a step takes on AWS when this portal has not seen it on the target yet (rounded from typical CloudFormation
/// deploys): the slow ones are the NAT gateway, the load balancers and the ECS services (which wait for their tasks to
/// be steady, and drain on delete); the rest take seconds. A prediction that uses one is rough.
/// </summary>
public static class EtaDefaults
{
    private static readonly Dictionary<ResourceStep, TimeSpan> Known = new()
    {
        [new("AWS::EC2::NatGateway", ResourceOperation.Create)] = TimeSpan.FromSeconds(100),
        [new("AWS::EC2::NatGateway", ResourceOperation.Update)] = TimeSpan.FromSeconds(100),
        [new("AWS::EC2::NatGateway", ResourceOperation.Delete)] = TimeSpan.FromSeconds(60),
        [new("AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceOperation.Create)] = TimeSpan.FromSeconds(180),
        [new("AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceOperation.Update)] = TimeSpan.FromSeconds(30),
        [new("AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceOperation.Delete)] = TimeSpan.FromSeconds(30),
        [new("AWS::ECS::Service", ResourceOperation.Create)] = TimeSpan.FromSeconds(150),
        [new("AWS::ECS::Service", ResourceOperation.Update)] = TimeSpan.FromSeconds(180),
        [new("AWS::ECS::Service", ResourceOperation.Delete)] = TimeSpan.FromSeconds(120),
        [new("AWS::IAM::Role", ResourceOperation.Create)] = TimeSpan.FromSeconds(20),
        [new("AWS::IAM::Policy", ResourceOperation.Create)] = TimeSpan.FromSeconds(20),
        [new("AWS::EC2::VPC", ResourceOperation.Create)] = TimeSpan.FromSeconds(15),
        [new("AWS::EC2::InternetGateway", ResourceOperation.Create)] = TimeSpan.FromSeconds(15),
        [new("AWS::EC2::VPCGatewayAttachment", ResourceOperation.Create)] = TimeSpan.FromSeconds(20),
        [new("AWS::EC2::VPCGatewayAttachment", ResourceOperation.Delete)] = TimeSpan.FromSeconds(20),
        [new("AWS::ElasticLoadBalancingV2::TargetGroup", ResourceOperation.Create)] = TimeSpan.FromSeconds(15),
    };

    /// <summary>Anything else: a few seconds, as most EC2 networking, log groups and task definitions take.</summary>
    public static readonly TimeSpan Other = TimeSpan.FromSeconds(5);

    public static TimeSpan Duration(ResourceStep step) => Known.GetValueOrDefault(step, Other);
}
