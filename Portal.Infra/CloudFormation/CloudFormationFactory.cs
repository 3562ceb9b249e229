using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.SecurityToken;
using Microsoft.Extensions.Options;
using Portal.Infra.Targets;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// Builds one signed <see cref="CloudFormationClient"/> per target:
/// Sandbox → the sandbox endpoint (the target's ServiceUrl, else <see cref="ISandboxAddress"/>), <see cref="SandboxCredentials"/>;
/// Aws → ServiceUrl or the regional endpoint, the default credential chain, then RoleArn assumed via STS.
/// </summary>
public sealed partial class CloudFormationFactory : ICloudFormationFactory, IDisposable
{
    private readonly TargetOptions _targets;
    private readonly CloudFormationClientOptions _clientOptions;
    private readonly ISandboxAddress _sandbox;
    private readonly SandboxCredentials _sandboxCredentials;
    private readonly TimeProvider _time;
    private readonly Func<HttpMessageHandler>? _transport;
    private readonly Func<AWSCredentials, RegionEndpoint, ICoreAmazonSTS> _sts;
    private readonly Dictionary<string, Built> _clients = new(StringComparer.OrdinalIgnoreCase);

    public CloudFormationFactory(
        IOptions<TargetOptions> targets, IOptions<CloudFormationClientOptions> clientOptions,
        ISandboxAddress sandbox, IOptions<SandboxCredentials> sandboxCredentials, TimeProvider time)
        : this(targets.Value, clientOptions.Value, sandbox, sandboxCredentials.Value, time, transport: null, sts: null)
    {
    }

    /// <param name="transport">Stands in for the network (tests); signing still happens above it.</param>
    /// <param name="sts">Stands in for STS (tests).</param>
    internal CloudFormationFactory(
        TargetOptions targets, CloudFormationClientOptions clientOptions, ISandboxAddress sandbox, SandboxCredentials sandboxCredentials,
        TimeProvider time, Func<HttpMessageHandler>? transport, Func<AWSCredentials, RegionEndpoint, ICoreAmazonSTS>? sts)
    {
        _targets = targets;
        _clientOptions = clientOptions;
        _sandbox = sandbox;
        _sandboxCredentials = sandboxCredentials;
        _time = time;
        _transport = transport;
        _sts = sts ?? ((source, region) => new AmazonSecurityTokenServiceClient(source, new AmazonSecurityTokenServiceConfig { RegionEndpoint = region }));
    }

    public ICloudFormation For(string targetName)
    {
        var target = _targets.Get(targetName);
        lock (_clients)
        {
            if (!_clients.TryGetValue(targetName, out var built))
            {
                built = Build(targetName, target);
                _clients[targetName] = built;
            }
            return built.Client;
        }
    }

    public void Dispose()
    {
        lock (_clients)
        {
            foreach (var built in _clients.Values)
            {
                built.Client.Dispose();
                (built.Credentials as IDisposable)?.Dispose();
            }
            _clients.Clear();
        }
    }

    private sealed record Built(CloudFormationClient Client, AWSCredentials Credentials);

    private Built Build(string name, Target target)
    {
        var region = target.SigningRegion;
        var configuredUrl = string.IsNullOrWhiteSpace(target.ServiceUrl) ? null : new Uri(target.ServiceUrl);
        Uri endpoint;
        AWSCredentials credentials;
        if (target.Kind == TargetKind.Sandbox)
        {
            endpoint = configuredUrl ?? _sandbox.ServiceUrl ?? throw new InvalidOperationException(
                $"Target '{name}' is a Sandbox target, but no sandbox endpoint is running in this process: " +
                $"start it (the host sets {nameof(SandboxAddress)}.{nameof(SandboxAddress.ServiceUrl)}) or set {TargetOptions.Section}:{name}:ServiceUrl.");
            credentials = new BasicAWSCredentials(_sandboxCredentials.AccessKeyId, _sandboxCredentials.SecretAccessKey);
        }
        else
        {
            endpoint = configuredUrl ?? CloudFormationClient.RegionalEndpoint(region);
            credentials = new DefaultChainCredentials();
            if (!string.IsNullOrWhiteSpace(target.RoleArn))
                credentials = new AssumedRoleCredentials(_sts(credentials, RegionEndpoint.GetBySystemName(region)), target.RoleArn, SessionName(name));
        }
        var client = CloudFormationClient.Create(endpoint, credentials, region, _clientOptions, _time, _transport?.Invoke());
        return new Built(client, credentials);
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
