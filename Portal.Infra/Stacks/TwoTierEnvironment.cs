using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Portal.Infra.Environments;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using SmSecret = Amazon.CDK.AWS.SecretsManager.Secret;

namespace Portal.Infra.Stacks;

/// <summary>
/// The two-tier environment (docs/ARCHITECTURE.md) as one CDK stack:
/// internet → public ALB → frontend tasks → internal ALB → backend tasks, in private subnets over two AZs.
/// </summary>
public sealed class TwoTierEnvironment : Stack
{
    /// <summary>HTTP only, as the architecture says: the environment's load balancer terminates no TLS.</summary>
    public const int PublicListenerPort = 80;

    /// <summary>Tasks pull images from ECR, read Secrets Manager and ship logs over HTTPS through the NAT.</summary>
    private const int HttpsPort = 443;

    // Every jsii call is a round trip to jsii's Node process: immutable values are made once per stack and shared.
    private readonly Dictionary<int, Port> _ports = [];

    public TwoTierEnvironment(Construct scope, EnvironmentSpec spec, string? requestedBy)
        : base(scope, spec.StackName, new StackProps
        {
            StackName = spec.StackName,
            Description = $"Portal environment {spec.Name}: two-tier ECS Fargate behind public and internal ALBs",
            // Plain CloudFormation must deploy it: no bootstrap bucket, no assets, no version check.
            Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()),
            AnalyticsReporting = false,
        })
    {
        var tags = Amazon.CDK.Tags.Of(this);
        tags.Add("portal:environment", spec.Name);
        // The spec's strings are refused unless literal (EnvironmentSpecValidator); a person's name is made literal here.
        if (IdentityTag.Value(requestedBy) is { } requester)
            tags.Add("portal:requested-by", requester);

        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr("10.0.0.0/16"),
            MaxAzs = 2,
            NatGateways = 1,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 24 },
            ],
            // The restriction is a custom resource (a Lambda), which plain CloudFormation cannot deploy without assets.
            RestrictDefaultSecurityGroup = false,
        });

        // The security-group chain: every group starts closed and gets only the architecture's rules.
        var publicAlbSg = ClosedGroup(vpc, "PublicAlbSecurityGroup", "Public ALB: HTTP from the internet");
        var frontendSg = ClosedGroup(vpc, "FrontendTasksSecurityGroup", "Frontend tasks: only from the public ALB");
        var internalAlbSg = ClosedGroup(vpc, "InternalAlbSecurityGroup", "Internal ALB: only from the frontend tasks");
        var backendSg = ClosedGroup(vpc, "BackendTasksSecurityGroup", "Backend tasks: only from the internal ALB");

        var internet = Peer.AnyIpv4();
        publicAlbSg.AddIngressRule(internet, Tcp(PublicListenerPort), "HTTP from the internet");
        Allow(publicAlbSg, frontendSg, spec.Frontend.ContainerPort, "public ALB to frontend tasks");
        Allow(frontendSg, internalAlbSg, spec.Backend.ListenerPort, "frontend tasks to internal ALB");
        Allow(internalAlbSg, backendSg, spec.Backend.ContainerPort, "internal ALB to backend tasks");
        frontendSg.AddEgressRule(internet, Tcp(HttpsPort), "HTTPS out via NAT (ECR, Secrets Manager, logs)");
        backendSg.AddEgressRule(internet, Tcp(HttpsPort), "HTTPS out via NAT (ECR, Secrets Manager, logs)");

        var publicSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC };
        var privateSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };

        var publicAlb = new ApplicationLoadBalancer(this, "PublicAlb", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = true,
            VpcSubnets = publicSubnets,
            SecurityGroup = publicAlbSg,
        });
        var internalAlb = new ApplicationLoadBalancer(this, "InternalAlb", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = false,
            VpcSubnets = privateSubnets,
            SecurityGroup = internalAlbSg,
        });

        var deregistrationDelay = Duration.Seconds(30);
        var frontendTargets = TargetGroup(vpc, "FrontendTargetGroup", spec.Frontend, deregistrationDelay);
        var backendTargets = TargetGroup(vpc, "BackendTargetGroup", spec.Backend, deregistrationDelay);
        // Open = false: the rules above are the whole chain; CDK must not add its own 0.0.0.0/0 ingress.
        publicAlb.AddListener("HttpListener", new BaseApplicationListenerProps
        {
            Port = PublicListenerPort,
            Protocol = ApplicationProtocol.HTTP,
            Open = false,
            DefaultTargetGroups = [frontendTargets],
        });
        internalAlb.AddListener("BackendListener", new BaseApplicationListenerProps
        {
            Port = spec.Backend.ListenerPort,
            Protocol = ApplicationProtocol.HTTP,
            Open = false,
            DefaultTargetGroups = [backendTargets],
        });

        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = vpc });
        var backendUrl = $"http://{internalAlb.LoadBalancerDnsName}:{spec.Backend.ListenerPort}";

        var gracePeriod = Duration.Seconds(60);
        var frontend = Service(EnvironmentService.Frontend, cluster, privateSubnets, frontendSg, spec.Frontend, gracePeriod,
            new Dictionary<string, string>(spec.Frontend.Environment) { [FrontendSpec.BackendUrlVariable] = backendUrl });
        var backend = Service(EnvironmentService.Backend, cluster, privateSubnets, backendSg, spec.Backend, gracePeriod,
            new Dictionary<string, string>(spec.Backend.Environment));
        Attach(frontend, frontendTargets, spec.Frontend.ContainerPort);
        Attach(backend, backendTargets, spec.Backend.ContainerPort);

        Output("PublicUrl", $"http://{publicAlb.LoadBalancerDnsName}", "The environment's address on the internet");
        Output("BackendUrl", backendUrl, "The backend as the frontend reaches it (inside the VPC only)");
        Output("ClusterName", cluster.ClusterName, "The ECS cluster");
        Output("FrontendServiceName", frontend.ServiceName, "The frontend ECS service");
        Output("BackendServiceName", backend.ServiceName, "The backend ECS service");
    }

    private SecurityGroup ClosedGroup(IVpc vpc, string id, string description) =>
        new(this, id, new SecurityGroupProps { Vpc = vpc, Description = description, AllowAllOutbound = false });

    private Port Tcp(int port) => _ports.TryGetValue(port, out var made) ? made : _ports[port] = Port.Tcp(port);

    /// <summary>Lets <paramref name="from"/> reach <paramref name="to"/> on one port: egress on one side, ingress on the other.</summary>
    private void Allow(SecurityGroup from, SecurityGroup to, int port, string description)
    {
        from.AddEgressRule(to, Tcp(port), description);
        to.AddIngressRule(from, Tcp(port), description);
    }

    private ApplicationTargetGroup TargetGroup(IVpc vpc, string id, ServiceSpec service, Duration deregistrationDelay) =>
        new(this, id, new ApplicationTargetGroupProps
        {
            Vpc = vpc,
            TargetType = TargetType.IP,
            Port = service.ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            // The only health check layer (the architecture's): no container health checks in the task definitions.
            HealthCheck = new HealthCheck { Path = service.HealthCheckPath, HealthyHttpCodes = "200-399" },
            DeregistrationDelay = deregistrationDelay,
        });

    private FargateService Service(EnvironmentService service, Cluster cluster, SubnetSelection subnets,
        SecurityGroup securityGroup, ServiceSpec spec, Duration gracePeriod, Dictionary<string, string> environment)
    {
        var (id, serviceName) = (service.ConstructId, service.ServiceName);
        var logs = new LogGroup(this, $"{id}Logs", new LogGroupProps
        {
            Retention = RetentionDays.ONE_MONTH,
            // An environment's logs go with it when it is destroyed; nothing is left behind to pay for.
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var task = new FargateTaskDefinition(this, $"{id}Task", new FargateTaskDefinitionProps
        {
            Cpu = spec.Cpu,
            MemoryLimitMiB = spec.MemoryMiB,
        });
        task.AddContainer(EnvironmentService.ContainerName, new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromEcrRepository(Repository(id, spec.Image), spec.Image.TagOrDigest),
            Environment = environment,
            Secrets = spec.Secrets.ToDictionary(s => s.Name, s => SecretFor(id, s)),
            PortMappings = [new PortMapping { ContainerPort = spec.ContainerPort, Protocol = Amazon.CDK.AWS.ECS.Protocol.TCP }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = serviceName }),
            Essential = true,
        });
        return new FargateService(this, $"{id}Service", new FargateServiceProps
        {
            ServiceName = serviceName,
            Cluster = cluster,
            TaskDefinition = task,
            DesiredCount = spec.DesiredCount,
            AssignPublicIp = false,
            VpcSubnets = subnets,
            SecurityGroups = [securityGroup],
            // A bad image fails the deploy in minutes and rolls back, instead of CloudFormation waiting for hours.
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
            HealthCheckGracePeriod = gracePeriod,
        });
    }

    /// <summary>Registers the service's tasks by IP without CDK's automatic security-group rules (the chain is explicit).</summary>
    private static void Attach(FargateService service, ApplicationTargetGroup targets, int containerPort)
    {
        var node = service.Node;
        var cfn = (CfnService)node.DefaultChild!;
        cfn.LoadBalancers = new object[]
        {
            new CfnService.LoadBalancerProperty
            {
                ContainerName = EnvironmentService.ContainerName, ContainerPort = containerPort, TargetGroupArn = targets.TargetGroupArn,
            },
        };
        // ECS refuses a target group that is not yet attached to a load balancer.
        node.AddDependency(targets.LoadBalancerAttached);
    }

    private IRepository Repository(string id, ImageRef image) => image.RepositoryUri is { } uri
        // A repository in another account or region: its ARN comes from the URI, so pulls are granted there.
        ? Amazon.CDK.AWS.ECR.Repository.FromRepositoryAttributes(this, $"{id}Repository", new RepositoryAttributes
        {
            RepositoryName = uri.RepositoryName,
            RepositoryArn = $"arn:{(uri.DnsSuffix.EndsWith(".cn") ? "aws-cn" : "aws")}:ecr:{uri.Region}:{uri.Account}:repository/{uri.RepositoryName}",
        })
        : Amazon.CDK.AWS.ECR.Repository.FromRepositoryName(this, $"{id}Repository", image.Repository);

    private EcsSecret SecretFor(string id, SecretRef secret)
    {
        // The execution role's policy names exactly this secret (a partial ARN matches only its random suffix).
        var source = secret.Arn!.IsComplete
            ? SmSecret.FromSecretCompleteArn(this, $"{id}Secret{secret.Name}", secret.SecretArn)
            : SmSecret.FromSecretPartialArn(this, $"{id}Secret{secret.Name}", secret.SecretArn);
        return secret.VersionStage is null && secret.VersionId is null
            ? EcsSecret.FromSecretsManager(source, secret.JsonKey)
            : EcsSecret.FromSecretsManagerVersion(source,
                new SecretVersionInfo { VersionStage = secret.VersionStage, VersionId = secret.VersionId }, secret.JsonKey);
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
