using System.Text.Json.Serialization;

namespace Portal.Sandbox;

/// <summary>
/// An ECS service of a stack as ECS, Elastic Load Balancing and CloudWatch Logs see it: its deployments, tasks and
/// service events, each with the times it happens. A deployment's whole story is written when CloudFormation starts the
/// service (the failure an image tag asks for decides it), and the endpoints show what of it has happened by the sandbox's
/// clock; so a restart, which reads it back from the stack's file, answers the same. Mutated only under the simulator's lock.
/// </summary>
internal sealed class SimulatedService
{
    public required string LogicalId { get; init; }
    public required string ServiceArn { get; init; }
    public required string ServiceName { get; init; }
    public required string ClusterArn { get; init; }
    public required string LaunchType { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? TargetGroupArn { get; init; }
    public string? LoadBalancedContainer { get; init; }
    public int? LoadBalancedPort { get; init; }
    public bool CircuitBreaker { get; init; }
    public bool CircuitBreakerRollback { get; init; }

    /// <summary>When CloudFormation started deleting it (DRAINING), and when it was gone (INACTIVE).</summary>
    public DateTimeOffset? DrainingAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Oldest first.</summary>
    public List<SimulatedDeployment> Deployments { get; init; } = [];

    /// <summary>Service events, oldest first (ECS keeps the newest 100).</summary>
    public List<ServiceEvent> Events { get; init; } = [];

    /// <summary>Tasks, oldest first (the newest <see cref="ServiceTimeline.MaxTasksPerService"/>).</summary>
    public List<SimulatedTask> Tasks { get; init; } = [];

    [JsonIgnore]
    public string ClusterName => ClusterArn[(ClusterArn.LastIndexOf('/') + 1)..];

    public string StatusAt(DateTimeOffset now) =>
        DeletedAt <= now ? "INACTIVE" : DrainingAt <= now ? "DRAINING" : "ACTIVE";
}

/// <summary>One deployment of a service: a task definition rolled out to a desired count.</summary>
internal sealed class SimulatedDeployment
{
    public required string Id { get; init; }
    public required string TaskDefinitionArn { get; init; }
    public required int DesiredCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<ContainerSpec> Containers { get; init; }

    /// <summary>The failure its image tags asked for (<see cref="FailureInjection"/>), or null.</summary>
    public string? Failure { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>When the deployment before it took over again (the update was rolled back).</summary>
    public DateTimeOffset? RolledBackAt { get; set; }
}

/// <summary>A service event as DescribeServices lists it.</summary>
internal sealed record ServiceEvent(string Id, DateTimeOffset At, string Message);

/// <summary>A line a container wrote to its log stream.</summary>
internal sealed record LogLine(DateTimeOffset At, string Message);

/// <summary>One task: when it reaches each status, and why it stopped.</summary>
internal sealed class SimulatedTask
{
    public required string TaskId { get; init; }
    public required string TaskArn { get; init; }
    public required string DeploymentId { get; init; }
    public required string TaskDefinitionArn { get; init; }
    public required string PrivateIp { get; init; }
    public required string AvailabilityZone { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PullStartedAt { get; set; }
    public DateTimeOffset? PullStoppedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When its load balancer target turned healthy or unhealthy.</summary>
    public DateTimeOffset? HealthyAt { get; set; }
    public DateTimeOffset? UnhealthyAt { get; set; }
    public DateTimeOffset? StoppingAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public string? StopCode { get; set; }
    public string? StoppedReason { get; set; }
    public List<SimulatedContainer> Containers { get; init; } = [];

    public string LastStatusAt(DateTimeOffset now) =>
        StoppedAt <= now ? "STOPPED"
        : StoppingAt <= now ? "DEACTIVATING"
        : StartedAt <= now ? "RUNNING"
        : PullStartedAt <= now ? "PENDING"
        : "PROVISIONING";

    public string DesiredStatusAt(DateTimeOffset now) => StoppingAt <= now ? "STOPPED" : "RUNNING";

    public bool IsRunningAt(DateTimeOffset now) => StartedAt <= now && !(StoppingAt <= now);
}

/// <summary>A container of a task: its image, how it exited, and its log stream and lines (awslogs).</summary>
internal sealed class SimulatedContainer
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ContainerArn { get; init; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? LogGroup { get; init; }
    public string? LogStream { get; init; }
    public List<LogLine> Logs { get; init; } = [];
}

/// <summary>A container of a task definition, as the service runs it.</summary>
internal sealed record ContainerSpec(
    string Name, string Image, int? Port, string? LogGroup, string? StreamPrefix, IReadOnlyList<string> SecretArns);
