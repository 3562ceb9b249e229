using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;

namespace Portal.Infra.Aws;

/// <summary>The read-only clients that tell why a target's ECS services failed and whether they are healthy.</summary>
public sealed record DiagnosticsClients(IEcs Ecs, IElasticLoadBalancingV2 ElasticLoadBalancing, ICloudWatchLogs Logs)
{
    /// <summary>Their services' signing names: the keys of a target's <c>ServiceUrls</c>, the sandbox's paths beside CloudFormation's.</summary>
    public static IReadOnlyList<string> Services { get; } =
        [EcsClient.SigningService, ElasticLoadBalancingV2Client.SigningService, CloudWatchLogsClient.SigningService];
}

/// <summary>The diagnosis clients of a configured deploy target.</summary>
public interface IDiagnosticsClientFactory
{
    /// <summary>
    /// The clients for <paramref name="targetName"/> (case-insensitive), built with the target's CloudFormation client on
    /// first use and shared after: the same credentials (one assumed-role session per target), retries and bounds.
    /// Throws as <c>ICloudFormationFactory.For</c> does for an unknown target or a Sandbox target without a running sandbox.
    /// </summary>
    DiagnosticsClients For(string targetName);
}
