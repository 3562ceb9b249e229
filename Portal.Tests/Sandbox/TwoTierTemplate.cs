using System.Text.Json.Nodes;

namespace Portal.Tests.Sandbox;

/// <summary>
/// A small template shaped like the CDK's synth output for the portal's environment: VPC, subnets, NAT,
/// security groups, public and internal ALBs, target group, listener, ECS cluster, task definition with an
/// ECR image built from pseudo parameters, a Fargate service, CDK metadata behind a condition, and outputs.
/// </summary>
internal static class TwoTierTemplate
{
    private const string AccessLogsBucket = "\"AccessLogsBucket83B2C4F1\": { \"Type\": \"AWS::S3::Bucket\" },";

    public static string Json(string frontendTag = "1.4.2", int desiredCount = 2, bool withAccessLogsBucket = true) => $$"""
    {
      "Description": "Portal environment (two-tier ECS on Fargate)",
      "Parameters": {
        "BootstrapVersion": { "Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version" }
      },
      "Conditions": {
        "CDKMetadataAvailable": { "Fn::Or": [
          { "Fn::Equals": [ { "Ref": "AWS::Region" }, "us-east-1" ] },
          { "Fn::Equals": [ { "Ref": "AWS::Region" }, "eu-west-1" ] } ] }
      },
      "Resources": {
        "Vpc8378EB38": { "Type": "AWS::EC2::VPC", "Properties": {
          "CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true,
          "Tags": [ { "Key": "Name", "Value": { "Fn::Sub": "${AWS::StackName}/Vpc" } } ] } },
        "VpcPublicSubnet1Subnet5C2D37C4": { "Type": "AWS::EC2::Subnet", "Properties": {
          "VpcId": { "Ref": "Vpc8378EB38" }, "CidrBlock": "10.0.0.0/18", "MapPublicIpOnLaunch": true,
          "AvailabilityZone": { "Fn::Select": [ 0, { "Fn::GetAZs": "" } ] } } },
        "VpcPublicSubnet2Subnet691E08A3": { "Type": "AWS::EC2::Subnet", "Properties": {
          "VpcId": { "Ref": "Vpc8378EB38" }, "CidrBlock": "10.0.64.0/18", "MapPublicIpOnLaunch": true,
          "AvailabilityZone": { "Fn::Select": [ 1, { "Fn::GetAZs": "" } ] } } },
        "VpcPrivateSubnet1Subnet536B997A": { "Type": "AWS::EC2::Subnet", "Properties": {
          "VpcId": { "Ref": "Vpc8378EB38" }, "CidrBlock": "10.0.128.0/18",
          "AvailabilityZone": { "Fn::Select": [ 0, { "Fn::GetAZs": "" } ] } } },
        "VpcPrivateSubnet2Subnet3788AAA1": { "Type": "AWS::EC2::Subnet", "Properties": {
          "VpcId": { "Ref": "Vpc8378EB38" }, "CidrBlock": "10.0.192.0/18",
          "AvailabilityZone": { "Fn::Select": [ 1, { "Fn::GetAZs": "" } ] } } },
        "VpcIGWD7BA715C": { "Type": "AWS::EC2::InternetGateway" },
        "VpcVPCGWBF912B6E": { "Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {
          "VpcId": { "Ref": "Vpc8378EB38" }, "InternetGatewayId": { "Ref": "VpcIGWD7BA715C" } } },
        "VpcPublicRouteTable": { "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": { "Ref": "Vpc8378EB38" } } },
        "VpcPublicDefaultRoute": { "Type": "AWS::EC2::Route", "DependsOn": [ "VpcVPCGWBF912B6E" ], "Properties": {
          "RouteTableId": { "Ref": "VpcPublicRouteTable" }, "DestinationCidrBlock": "0.0.0.0/0",
          "GatewayId": { "Ref": "VpcIGWD7BA715C" } } },
        "VpcNatEip": { "Type": "AWS::EC2::EIP", "Properties": { "Domain": "vpc" } },
        "VpcNatGateway": { "Type": "AWS::EC2::NatGateway", "DependsOn": [ "VpcPublicDefaultRoute" ], "Properties": {
          "SubnetId": { "Ref": "VpcPublicSubnet1Subnet5C2D37C4" },
          "AllocationId": { "Fn::GetAtt": [ "VpcNatEip", "AllocationId" ] } } },
        "VpcPrivateRouteTable": { "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": { "Ref": "Vpc8378EB38" } } },
        "VpcPrivateDefaultRoute": { "Type": "AWS::EC2::Route", "Properties": {
          "RouteTableId": { "Ref": "VpcPrivateRouteTable" }, "DestinationCidrBlock": "0.0.0.0/0",
          "NatGatewayId": { "Ref": "VpcNatGateway" } } },
        "PublicAlbSecurityGroup5E8F1D2A": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
          "GroupDescription": "Public ALB", "VpcId": { "Ref": "Vpc8378EB38" },
          "SecurityGroupIngress": [ { "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0" } ] } },
        "FrontendSecurityGroup0C1B2A3D": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
          "GroupDescription": "Frontend tasks", "VpcId": { "Ref": "Vpc8378EB38" } } },
        "FrontendFromPublicAlb": { "Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
          "GroupId": { "Fn::GetAtt": [ "FrontendSecurityGroup0C1B2A3D", "GroupId" ] },
          "SourceSecurityGroupId": { "Fn::GetAtt": [ "PublicAlbSecurityGroup5E8F1D2A", "GroupId" ] },
          "IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3000 } },
        "InternalAlbSecurityGroup9A8B7C6D": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
          "GroupDescription": "Internal ALB", "VpcId": { "Ref": "Vpc8378EB38" } } },
        "PublicAlb3B1C2F7A": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "DependsOn": [ "VpcPublicDefaultRoute" ], "Properties": {
          "Scheme": "internet-facing", "Type": "application",
          "Subnets": [ { "Ref": "VpcPublicSubnet1Subnet5C2D37C4" }, { "Ref": "VpcPublicSubnet2Subnet691E08A3" } ],
          "SecurityGroups": [ { "Fn::GetAtt": [ "PublicAlbSecurityGroup5E8F1D2A", "GroupId" ] } ] } },
        "InternalAlbD0E5A1C2": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
          "Scheme": "internal", "Type": "application",
          "Subnets": [ { "Ref": "VpcPrivateSubnet1Subnet536B997A" }, { "Ref": "VpcPrivateSubnet2Subnet3788AAA1" } ],
          "SecurityGroups": [ { "Fn::GetAtt": [ "InternalAlbSecurityGroup9A8B7C6D", "GroupId" ] } ] } },
        "FrontendTargetGroup7D3E2B1F": { "Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
          "Port": 3000, "Protocol": "HTTP", "TargetType": "ip", "VpcId": { "Ref": "Vpc8378EB38" },
          "HealthCheckPath": "/health" } },
        "PublicListener4C5D6E7F": { "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
          "LoadBalancerArn": { "Ref": "PublicAlb3B1C2F7A" }, "Port": 80, "Protocol": "HTTP",
          "DefaultActions": [ { "Type": "forward", "TargetGroupArn": { "Ref": "FrontendTargetGroup7D3E2B1F" } } ] } },
        "ClusterEB0386A7": { "Type": "AWS::ECS::Cluster" },
        "FrontendLogGroup2A3B4C5D": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 30 } },
        "TaskExecutionRole250D2532": { "Type": "AWS::IAM::Role", "Properties": {
          "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [ {
            "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": { "Service": "ecs-tasks.amazonaws.com" },
            "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } } } ] } } },
        "FrontendTaskDefinitionB1C2D3E4": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
          "Family": { "Fn::Join": [ "", [ { "Ref": "AWS::StackName" }, "-frontend" ] ] },
          "Cpu": "256", "Memory": "512", "NetworkMode": "awsvpc", "RequiresCompatibilities": [ "FARGATE" ],
          "ExecutionRoleArn": { "Fn::GetAtt": [ "TaskExecutionRole250D2532", "Arn" ] },
          "ContainerDefinitions": [ {
            "Name": "frontend", "Essential": true,
            "Image": { "Fn::Join": [ "", [ { "Ref": "AWS::AccountId" }, ".dkr.ecr.", { "Ref": "AWS::Region" }, ".", { "Ref": "AWS::URLSuffix" }, "/frontend:{{frontendTag}}" ] ] },
            "PortMappings": [ { "ContainerPort": 3000, "Protocol": "tcp" } ],
            "Environment": [ { "Name": "BACKEND_URL",
              "Value": { "Fn::Join": [ "", [ "http://", { "Fn::GetAtt": [ "InternalAlbD0E5A1C2", "DNSName" ] }, ":80" ] ] } } ],
            "LogConfiguration": { "LogDriver": "awslogs", "Options": {
              "awslogs-group": { "Ref": "FrontendLogGroup2A3B4C5D" }, "awslogs-region": { "Ref": "AWS::Region" },
              "awslogs-stream-prefix": "frontend" } } } ] } },
        "FrontendService9F8E7D6C": { "Type": "AWS::ECS::Service", "DependsOn": [ "PublicListener4C5D6E7F" ], "Properties": {
          "Cluster": { "Ref": "ClusterEB0386A7" }, "TaskDefinition": { "Ref": "FrontendTaskDefinitionB1C2D3E4" },
          "LaunchType": "FARGATE", "DesiredCount": {{desiredCount}},
          "DeploymentConfiguration": { "DeploymentCircuitBreaker": { "Enable": true, "Rollback": true } },
          "NetworkConfiguration": { "AwsvpcConfiguration": { "AssignPublicIp": "DISABLED",
            "Subnets": [ { "Ref": "VpcPrivateSubnet1Subnet536B997A" }, { "Ref": "VpcPrivateSubnet2Subnet3788AAA1" } ],
            "SecurityGroups": [ { "Fn::GetAtt": [ "FrontendSecurityGroup0C1B2A3D", "GroupId" ] } ] } },
          "LoadBalancers": [ { "ContainerName": "frontend", "ContainerPort": 3000,
            "TargetGroupArn": { "Ref": "FrontendTargetGroup7D3E2B1F" } } ] } },
        {{(withAccessLogsBucket ? AccessLogsBucket : "")}}
        "CDKMetadata": { "Type": "AWS::CDK::Metadata", "Condition": "CDKMetadataAvailable",
          "Properties": { "Analytics": "v2:deflate64:H4sIAAAAAAAA/zPSMzQz1TNQTCwv1k1OydbNyUzVqw4uSUzO1gEKxRcXJ+pVBxckpRaVpBbrgMWCg1MS81Jyg0tSy4uSczJTSxKTUz1TvFJzUlOLSxIzc1MKgkpSfVNzMtNTk1JzSlOLwCpAYnBNDXBRXSMDPQMQwADXqwgNcQAAAA==" } }
      },
      "Outputs": {
        "PublicUrl": { "Description": "The frontend's public URL",
          "Value": { "Fn::Join": [ "", [ "http://", { "Fn::GetAtt": [ "PublicAlb3B1C2F7A", "DNSName" ] } ] ] },
          "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-PublicUrl" } } },
        "BackendUrl": { "Value": { "Fn::Sub": "http://${InternalAlbD0E5A1C2.DNSName}:80" } },
        "ClusterName": { "Value": { "Ref": "ClusterEB0386A7" } },
        "FrontendServiceName": { "Value": { "Fn::GetAtt": [ "FrontendService9F8E7D6C", "Name" ] } },
        "PublicAlbKind": { "Value": { "Fn::Select": [ 0, { "Fn::Split": [ "/", { "Fn::GetAtt": [ "PublicAlb3B1C2F7A", "LoadBalancerFullName" ] } ] } ] } },
        "SecondAz": { "Value": { "Fn::Select": [ 1, { "Fn::GetAZs": "" } ] } },
        "VpcId": { "Value": { "Ref": "Vpc8378EB38" } }
      }
    }
    """;

    /// <summary>Logical id → the logical ids it depends on (Ref, Fn::GetAtt, DependsOn), read from the template.</summary>
    public static Dictionary<string, HashSet<string>> Dependencies(string template)
    {
        var resources = JsonNode.Parse(template)!["Resources"]!.AsObject();
        return resources.ToDictionary(r => r.Key, r =>
        {
            var found = new HashSet<string>();
            void Walk(JsonNode? node)
            {
                switch (node)
                {
                    case JsonObject o when o["Ref"] is JsonValue target && resources.ContainsKey(target.ToString()):
                        found.Add(target.ToString());
                        break;
                    case JsonObject o when o["Fn::GetAtt"] is JsonArray args:
                        found.Add(args[0]!.ToString());
                        break;
                    case JsonObject o:
                        foreach (var (_, v) in o) Walk(v);
                        break;
                    case JsonArray a:
                        foreach (var v in a) Walk(v);
                        break;
                }
            }
            Walk(r.Value!["Properties"]);
            foreach (var d in r.Value!["DependsOn"]?.AsArray() ?? [])
                found.Add(d!.ToString());
            return found;
        });
    }
}
