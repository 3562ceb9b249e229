using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.SecurityToken;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using Portal.Infra.Aws;
using Portal.Infra.Budgets;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Infra.Intake;
using Portal.Infra.Targets;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// Builds the signed AWS clients of each target once, all of them on one credentials object, with the same
/// <see cref="AwsClientOptions"/>: its <see cref="CloudFormationClient"/> and its <see cref="DiagnosticsClients"/>.
/// Sandbox → the sandbox's endpoints (the target's ServiceUrl and the paths beside it, else <see cref="ISandboxAddress"/>),
/// <see cref="SandboxCredentials"/>; Aws → ServiceUrl or the regional endpoints, the default credential chain, then RoleArn
/// assumed via STS. A target's ServiceUrls override single services. The CloudFormation client waits at the target's
/// <see cref="CallBudgets">call budget</see>; the SQS client (<see cref="IStackEventQueueClients"/>) reads its intake queue.
/// </summary>
public sealed partial class CloudFormationFactory : ICloudFormationFactory, IDiagnosticsClientFactory, IStackEventQueueClients, IDisposable
{
    private readonly TargetOptions _targets;
    private readonly CloudFormationClientOptions _clientOptions;
    private readonly ISandboxAddress _sandbox;
    private readonly SandboxCredentials _sandboxCredentials;
    private readonly TimeProvider _time;
    private readonly Func<HttpMessageHandler>? _transport;
    private readonly Func<AWSCredentials, RegionEndpoint, ICoreAmazonSTS> _sts;
    private readonly CallBudgets? _budgets;
    private readonly Dictionary<string, Built> _clients = new(StringComparer.OrdinalIgnoreCase);

    public CloudFormationFactory(
        IOptions<TargetOptions> targets, IOptions<CloudFormationClientOptions> clientOptions,
        ISandboxAddress sandbox, IOptions<SandboxCredentials> sandboxCredentials, TimeProvider time, CallBudgets budgets)
        : this(targets.Value, clientOptions.Value, sandbox, sandboxCredentials.Value, time, transport: null, sts: null, budgets)
    {
    }

    /// <param name="transport">Stands in for the network (tests); signing still happens above it.</param>
    /// <param name="sts">Stands in for STS (tests).</param>
    internal CloudFormationFactory(
        TargetOptions targets, CloudFormationClientOptions clientOptions, ISandboxAddress sandbox, SandboxCredentials sandboxCredentials,
        TimeProvider time, Func<HttpMessageHandler>? transport, Func<AWSCredentials, RegionEndpoint, ICoreAmazonSTS>? sts,
        CallBudgets? budgets = null)
    {
        _budgets = budgets;
        _targets = targets;
        _clientOptions = clientOptions;
        _sandbox = sandbox;
        _sandboxCredentials = sandboxCredentials;
        _time = time;
        _transport = transport;
        _sts = sts ?? ((source, region) => new AmazonSecurityTokenServiceClient(source, new AmazonSecurityTokenServiceConfig { RegionEndpoint = region }));
    }

    public ICloudFormation For(string targetName) => Clients(targetName).CloudFormation;

    DiagnosticsClients IDiagnosticsClientFactory.For(string targetName) => Clients(targetName).Diagnostics;

    IAmazonSQS? IStackEventQueueClients.For(string targetName) => Clients(targetName).Sqs;

    public void Dispose()
    {
        lock (_clients)
        {
            foreach (var built in _clients.Values)
                built.Dispose();
            _clients.Clear();
        }
    }

    private Built Clients(string targetName)
    {
        var target = _targets.Get(targetName);
        lock (_clients)
        {
            if (!_clients.TryGetValue(targetName, out var built))
            {
                built = Build(targetName, target);
                _clients[targetName] = built;
            }
            return built;
        }
    }

    /// <summary>A target's clients and the one credentials object they all sign with.</summary>
    private sealed record Built(
        CloudFormationClient CloudFormation, EcsClient Ecs, ElasticLoadBalancingV2Client ElasticLoadBalancing, CloudWatchLogsClient Logs,
        AmazonSQSClient? Sqs, AWSCredentials Credentials) : IDisposable
    {
        public DiagnosticsClients Diagnostics { get; } = new(Ecs, ElasticLoadBalancing, Logs);

        public void Dispose()
        {
            CloudFormation.Dispose();
            Ecs.Dispose();
            ElasticLoadBalancing.Dispose();
            Logs.Dispose();
            Sqs?.Dispose();
            (Credentials as IDisposable)?.Dispose();
        }
    }

    private Built Build(string name, Target target)
    {
        var region = target.SigningRegion;
        var configuredUrl = string.IsNullOrWhiteSpace(target.ServiceUrl) ? null : new Uri(target.ServiceUrl);
        Uri cloudFormation;
        AWSCredentials credentials;
        if (target.Kind == TargetKind.Sandbox)
        {
            cloudFormation = configuredUrl ?? _sandbox.ServiceUrl ?? throw new InvalidOperationException(
                $"Target '{name}' is a Sandbox target, but no sandbox endpoint is running in this process: " +
                $"start it (the host sets {nameof(SandboxAddress)}.{nameof(SandboxAddress.ServiceUrl)}) or set {TargetOptions.Section}:{name}:ServiceUrl.");
            credentials = new BasicAWSCredentials(_sandboxCredentials.AccessKeyId, _sandboxCredentials.SecretAccessKey);
        }
        else
        {
            cloudFormation = configuredUrl ?? CloudFormationClient.RegionalEndpoint(region);
            credentials = new DefaultChainCredentials();
            if (!string.IsNullOrWhiteSpace(target.RoleArn))
                credentials = new AssumedRoleCredentials(_sts(credentials, RegionEndpoint.GetBySystemName(region)), target.RoleArn, SessionName(name));
        }

        Uri EndpointOf(string service) => target.ServiceUrlOf(service) ?? (target.Kind == TargetKind.Sandbox
            ? (configuredUrl is null ? _sandbox.UrlOf(service) : null) ?? AwsEndpoints.Beside(cloudFormation, service)
            // An emulator (LocalStack) answers every service at the one address it was given.
            : configuredUrl ?? AwsEndpoints.Regional(service, region));

        return new Built(
            CloudFormationClient.Create(cloudFormation, credentials, region, _clientOptions, _time, _transport?.Invoke(), _budgets?.For(name)),
            EcsClient.Create(EndpointOf(EcsClient.SigningService), credentials, region, _clientOptions, _time, _transport?.Invoke()),
            ElasticLoadBalancingV2Client.Create(
                EndpointOf(ElasticLoadBalancingV2Client.SigningService), credentials, region, _clientOptions, _time, _transport?.Invoke()),
            CloudWatchLogsClient.Create(EndpointOf(CloudWatchLogsClient.SigningService), credentials, region, _clientOptions, _time, _transport?.Invoke()),
            string.IsNullOrWhiteSpace(target.StackEventQueueUrl) ? null : StackEventQueueClient.Create(
                EndpointOf(StackEventQueueClient.SigningService),
                credentials, region, _clientOptions),
            credentials);
    }

    /// <summary>Shows in CloudTrail which portal target assumed the role; STS allows [\w+=,.@-]{2,64}.</summary>
    internal static string SessionName(string targetName)
    {
        var name = "portal-" + SessionNameInvalid().Replace(targetName, "-");
        return name.Length > 64 ? name[..64] : name;
    }

    [GeneratedRegex(@"[^\w+=,.@-]")]
    private static partial Regex SessionNameInvalid();
}
