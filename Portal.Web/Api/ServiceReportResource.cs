using Portal.Infra.ServiceHealth;

namespace Portal.Web.Api;

/// <summary>
/// What ECS, the load balancer and CloudWatch Logs said of an environment's services at <see cref="ReadAt"/>, and the
/// real cause of a failure when they told one.
/// </summary>
public sealed record ServiceDiagnosisResource(DateTimeOffset ReadAt, string? Cause, bool Healthy, IReadOnlyList<ServiceReportResource> Services)
{
    public static ServiceDiagnosisResource From(ServiceDiagnosis d) =>
        new(d.ReadAt, d.Cause, d.IsHealthy, [.. d.Services.Select(ServiceReportResource.From)]);
}

/// <summary>
/// One ECS service: tasks running, pending and desired; ECS's newest events (newest first); its last stopped tasks with
/// why each stopped; its targets' health; and the last log lines of its first failed task's container (oldest first).
/// </summary>
/// <param name="Status">ECS's: ACTIVE, DRAINING, INACTIVE, or MISSING when ECS does not know it.</param>
public sealed record ServiceReportResource(
    string Component, string ServiceName, string Status, bool Healthy, int Running, int Pending, int Desired, string? HealthCheckPath,
    TargetHealthResource? Targets, IReadOnlyList<ServiceEventResource> Events, IReadOnlyList<StoppedTaskResource> StoppedTasks,
    IReadOnlyList<LogLineResource> LogLines)
{
    public static ServiceReportResource From(ServiceReport s) => new(
        s.Component, s.ServiceName, s.Status, s.IsHealthy, s.Running, s.Pending, s.Desired, s.HealthCheckPath,
        s.Targets is { } t ? new TargetHealthResource(t.Healthy, t.Total, [.. t.Unhealthy.Select(u => new UnhealthyTargetResource(u.Id, u.Port, u.State, u.Reason, u.Description))]) : null,
        [.. s.Events.Select(e => new ServiceEventResource(e.At, e.Message))],
        [.. s.StoppedTasks.Select(t => new StoppedTaskResource(t.TaskId, t.StoppedAt, t.StopCode, t.StoppedReason,
            [.. t.Containers.Select(c => new ContainerExitResource(c.Name, c.Image, c.ExitCode, c.Reason))]))],
        [.. s.LogLines.Select(l => new LogLineResource(l.At, l.Message))]);
}

/// <summary>The target group's health: healthy targets of all, and each one that is not healthy with ELB's reason.</summary>
public sealed record TargetHealthResource(int Healthy, int Total, IReadOnlyList<UnhealthyTargetResource> Unhealthy);

/// <param name="Reason">ELB's code, e.g. <c>Target.ResponseCodeMismatch</c>.</param>
/// <param name="Description">ELB's sentence, e.g. "Health checks failed with these codes: [404]".</param>
public sealed record UnhealthyTargetResource(string Id, int? Port, string State, string? Reason, string? Description);

public sealed record ServiceEventResource(DateTimeOffset At, string Message);

/// <param name="StopCode">ECS's: TaskFailedToStart, EssentialContainerExited, ServiceSchedulerInitiated, …</param>
public sealed record StoppedTaskResource(string TaskId, DateTimeOffset? StoppedAt, string? StopCode, string? StoppedReason, IReadOnlyList<ContainerExitResource> Containers);

/// <param name="ExitCode">Null when the container never ran.</param>
public sealed record ContainerExitResource(string Name, string? Image, int? ExitCode, string? Reason);

public sealed record LogLineResource(DateTimeOffset At, string Message);

/// <summary>
/// An environment's health (<c>GET /api/environments/{name}/health</c>): Healthy, Unhealthy, Deploying, StackMissing,
/// NotDeployed or Unavailable, one sentence saying it, and the reading it comes from.
/// </summary>
public sealed record EnvironmentHealthResource(
    string Environment, string State, string Summary, DateTimeOffset? StackMissingSince, ServiceDiagnosisResource? Diagnosis);
