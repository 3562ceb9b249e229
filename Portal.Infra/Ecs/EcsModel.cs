using System.Text.Json.Serialization;
using Portal.Infra.Aws;

namespace Portal.Infra.Ecs;

/// <summary>Values of a deployment's <c>rolloutState</c>: how far ECS got rolling it out (FAILED once the circuit breaker trips).</summary>
public static class RolloutState
{
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string InProgress = "IN_PROGRESS";
}

/// <summary>The <c>desiredStatus</c> ListTasks filters on.</summary>
public enum DesiredStatus
{
    Running,
    Stopped,
}

public sealed record DescribeServicesRequest
{
    /// <summary>The cluster's short name or ARN; AWS's <c>default</c> cluster when null.</summary>
    public string? Cluster { get; init; }

    /// <summary>Names or ARNs, 1 to <see cref="EcsClient.MaxServicesPerCall"/>.</summary>
    public required IReadOnlyList<string> Services { get; init; }
}

public sealed record DescribeServicesResponse : AwsResponse
{
    public IReadOnlyList<Service> Services { get; init; } = [];

    /// <summary>A service asked for that was not found (reason <c>MISSING</c>) or not described.</summary>
    public IReadOnlyList<Failure> Failures { get; init; } = [];
}

public sealed record Service
{
    public required string ServiceArn { get; init; }
    public required string ServiceName { get; init; }
    public string? ClusterArn { get; init; }

    /// <summary>ACTIVE, DRAINING or INACTIVE.</summary>
    public string? Status { get; init; }

    public int DesiredCount { get; init; }
    public int RunningCount { get; init; }
    public int PendingCount { get; init; }
    public string? TaskDefinition { get; init; }
    public string? LaunchType { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? CreatedAt { get; init; }

    /// <summary>The target groups the service registers its tasks with (DescribeTargetHealth's input).</summary>
    public IReadOnlyList<LoadBalancer> LoadBalancers { get; init; } = [];

    /// <summary>The PRIMARY deployment and those it replaces.</summary>
    public IReadOnlyList<Deployment> Deployments { get; init; } = [];

    /// <summary>ECS's own account of the service, newest first: "(service x) has reached a steady state.", "… unable to place a task …".</summary>
    public IReadOnlyList<ServiceEvent> Events { get; init; } = [];
}

public sealed record LoadBalancer
{
    public string? TargetGroupArn { get; init; }
    public string? LoadBalancerName { get; init; }
    public string? ContainerName { get; init; }
    public int? ContainerPort { get; init; }
}

public sealed record Deployment
{
    public required string Id { get; init; }

    /// <summary>PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE.</summary>
    public string? Status { get; init; }

    public string? TaskDefinition { get; init; }
    public int DesiredCount { get; init; }
    public int PendingCount { get; init; }
    public int RunningCount { get; init; }

    /// <summary>Tasks of this deployment that failed to start (the circuit breaker counts them).</summary>
    public int FailedTasks { get; init; }

    /// <summary>See <see cref="Ecs.RolloutState"/>.</summary>
    public string? RolloutState { get; init; }

    public string? RolloutStateReason { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? CreatedAt { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? UpdatedAt { get; init; }
}

public sealed record ServiceEvent
{
    public required string Id { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime CreatedAt { get; init; }

    public required string Message { get; init; }
}

/// <summary>A resource ECS could not describe: its ARN and why (<c>MISSING</c>, …).</summary>
public sealed record Failure
{
    public string? Arn { get; init; }
    public string? Reason { get; init; }
    public string? Detail { get; init; }
}

public sealed record ListTasksRequest
{
    /// <summary>The cluster's short name or ARN; AWS's <c>default</c> cluster when null.</summary>
    public string? Cluster { get; init; }

    public string? ServiceName { get; init; }

    /// <summary>RUNNING (AWS's default when null) or STOPPED: tasks ECS stopped stay listed for about an hour.</summary>
    public DesiredStatus? DesiredStatus { get; init; }

    /// <summary>Where to continue: a previous response's <see cref="ListTasksResponse.NextToken"/>.</summary>
    public string? NextToken { get; init; }

    /// <summary>
    /// The most ARNs listed, following ECS's pages (up to 100 each, at most <see cref="EcsClient.MaxListPages"/> of them);
    /// 1 to <see cref="EcsClient.MaxTasksListed"/>. Not sent: the client's own bound.
    /// </summary>
    [JsonIgnore]
    public int Limit { get; init; } = 100;

    /// <summary>The page size sent (ECS's <c>maxResults</c>); the client sets it from <see cref="Limit"/>.</summary>
    [JsonInclude]
    internal int? MaxResults { get; init; }
}

public sealed record ListTasksResponse : AwsResponse
{
    public IReadOnlyList<string> TaskArns { get; init; } = [];

    /// <summary>Set when more tasks remain than <see cref="ListTasksRequest.Limit"/> let the client list.</summary>
    public string? NextToken { get; init; }
}

public sealed record DescribeTasksRequest
{
    /// <summary>The cluster's short name or ARN; AWS's <c>default</c> cluster when null.</summary>
    public string? Cluster { get; init; }

    /// <summary>Task ids or ARNs, 1 to <see cref="EcsClient.MaxTasksPerCall"/>.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }
}

public sealed record DescribeTasksResponse : AwsResponse
{
    public IReadOnlyList<EcsTask> Tasks { get; init; } = [];
    public IReadOnlyList<Failure> Failures { get; init; } = [];
}

/// <summary>AWS's <c>Task</c> (renamed: <see cref="System.Threading.Tasks.Task"/> is everywhere).</summary>
public sealed record EcsTask
{
    public required string TaskArn { get; init; }
    public string? ClusterArn { get; init; }
    public string? TaskDefinitionArn { get; init; }

    /// <summary>"service:&lt;name&gt;" for a service's tasks.</summary>
    public string? Group { get; init; }

    /// <summary>PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING or STOPPED.</summary>
    public string? LastStatus { get; init; }

    public string? DesiredStatus { get; init; }

    /// <summary>Why it stopped, as ECS words it: "Essential container in task exited", "CannotPullContainerError: …".</summary>
    public string? StoppedReason { get; init; }

    /// <summary>TaskFailedToStart, EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, …</summary>
    public string? StopCode { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? CreatedAt { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? StartedAt { get; init; }

    [JsonConverter(typeof(EpochSeconds))]
    public DateTime? StoppedAt { get; init; }

    public IReadOnlyList<Container> Containers { get; init; } = [];
}

public sealed record Container
{
    public required string Name { get; init; }
    public string? ContainerArn { get; init; }
    public string? Image { get; init; }
    public string? LastStatus { get; init; }

    /// <summary>The process's exit code once the container stopped.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why the container stopped or failed to start, beyond the task's reason.</summary>
    public string? Reason { get; init; }

    public string? HealthStatus { get; init; }
}
