namespace Portal.Infra.ServiceHealth;

/// <summary>
/// What ECS, the load balancer and CloudWatch Logs said about one of an environment's services at one moment: the
/// answer to "why did it fail" during a deploy and "is it healthy" after it. Every list is cut to
/// <see cref="ServiceReportLimits"/> so a report stored with a revision stays small.
/// </summary>
/// <param name="Component">The tier the service runs: <c>frontend</c> or <c>backend</c>.</param>
/// <param name="ServiceName">The ECS service's name.</param>
/// <param name="Running">Tasks running.</param>
/// <param name="Pending">Tasks starting.</param>
/// <param name="Desired">Tasks the service wants.</param>
/// <param name="HealthCheckPath">The target group's health check path, to say what answered what.</param>
/// <param name="Events">The service's newest events, newest first.</param>
/// <param name="StoppedTasks">The last stopped tasks, newest first.</param>
/// <param name="Targets">The target group's health; null when the service has no target group or it was not read.</param>
/// <param name="LogLines">The last lines of the first failed task's essential container, oldest first.</param>
public sealed record ServiceReport(
    string Component,
    string ServiceName,
    int Running,
    int Pending,
    int Desired,
    string? HealthCheckPath,
    IReadOnlyList<ServiceEventLine> Events,
    IReadOnlyList<StoppedTask> StoppedTasks,
    TargetHealthReport? Targets,
    IReadOnlyList<LogLine> LogLines)
{
    /// <summary>The <see cref="Status"/> of a service ECS does not know.</summary>
    public const string MissingStatus = "MISSING";

    /// <summary>The ECS service's ARN (what a page keys it by).</summary>
    public string? ServiceArn { get; init; }

    /// <summary>ECS's status of the service: ACTIVE, DRAINING, INACTIVE (deleted), or <see cref="MissingStatus"/>.</summary>
    public string Status { get; init; } = "ACTIVE";

    /// <summary>Healthy: every desired task runs and, with a target group, every target is healthy.</summary>
    public bool IsHealthy => Status == "ACTIVE" && Desired > 0 && Running >= Desired
        && (Targets is null || (Targets.Total > 0 && Targets.Healthy == Targets.Total));
}

/// <summary>One line of the service's event log ("(service x) has started 2 tasks: …").</summary>
public sealed record ServiceEventLine(DateTimeOffset At, string Message);

/// <summary>A task that stopped, with why (ECS's <c>stoppedReason</c> and <c>stopCode</c>) and how each container ended.</summary>
public sealed record StoppedTask(string TaskId, DateTimeOffset? StoppedAt, string? StopCode, string? StoppedReason, IReadOnlyList<ContainerExit> Containers);

/// <summary>How one container of a stopped task ended: its exit code (null when it never ran) and ECS's reason.</summary>
public sealed record ContainerExit(string Name, string? Image, int? ExitCode, string? Reason);

/// <summary>The target group's view: healthy targets of all, and each unhealthy one with ELB's reason.</summary>
public sealed record TargetHealthReport(int Healthy, int Total, IReadOnlyList<UnhealthyTarget> Unhealthy);

/// <summary>A target that is not healthy: its state (<c>unhealthy</c>, <c>initial</c>, <c>draining</c>…), reason code and description.</summary>
public sealed record UnhealthyTarget(string Id, int? Port, string State, string? Reason, string? Description);

/// <summary>One log line of a container.</summary>
public sealed record LogLine(DateTimeOffset At, string Message);
