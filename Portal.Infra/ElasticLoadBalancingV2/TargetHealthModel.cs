using Portal.Infra.Aws;

namespace Portal.Infra.ElasticLoadBalancingV2;

/// <summary>Values of <c>TargetHealth.State</c>.</summary>
public static class TargetHealthState
{
    public const string Initial = "initial";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string UnhealthyDraining = "unhealthy.draining";
    public const string Unused = "unused";
    public const string Draining = "draining";
    public const string Unavailable = "unavailable";
}

public sealed record DescribeTargetHealthRequest
{
    public required string TargetGroupArn { get; init; }

    /// <summary>Only these targets; every registered target when empty.</summary>
    public IReadOnlyList<TargetDescription> Targets { get; init; } = [];
}

public sealed record DescribeTargetHealthResponse : AwsResponse
{
    public IReadOnlyList<TargetHealthDescription> TargetHealthDescriptions { get; init; } = [];
}

public sealed record TargetHealthDescription
{
    public required TargetDescription Target { get; init; }
    public string? HealthCheckPort { get; init; }
    public required TargetHealth TargetHealth { get; init; }
}

/// <summary>A target: an instance id, or for the portal's Fargate tasks an IP address, with its port.</summary>
public sealed record TargetDescription
{
    public required string Id { get; init; }
    public int? Port { get; init; }
    public string? AvailabilityZone { get; init; }
}

public sealed record TargetHealth
{
    /// <summary>See <see cref="TargetHealthState"/>.</summary>
    public required string State { get; init; }

    /// <summary>Why it is not healthy: <c>Target.ResponseCodeMismatch</c>, <c>Target.Timeout</c>, <c>Elb.RegistrationInProgress</c>, …</summary>
    public string? Reason { get; init; }

    /// <summary>ELB's sentence for the reason: "Health checks failed with these codes: [404]".</summary>
    public string? Description { get; init; }
}
