using Portal.Infra.Aws;
using Portal.Infra.CloudWatchLogs;
using Portal.Infra.Ecs;
using Portal.Infra.ElasticLoadBalancingV2;

namespace Portal.Infra.ServiceHealth;

/// <summary>
/// Reads what ECS, Elastic Load Balancing and CloudWatch Logs say about an environment's services, with the read-only
/// calls only (DescribeServices, ListTasks, DescribeTasks, DescribeTargetHealth, GetLogEvents), into one
/// <see cref="ServiceDiagnosis"/>. Per service: one DescribeServices for all, one ListTasks and one DescribeTasks for its
/// stopped tasks, one DescribeTargetHealth, and one GetLogEvents when a task failed.
/// </summary>
public static class ServiceReader
{
    /// <summary>Stop codes of a task that failed, as opposed to one the scheduler replaced or a person stopped.</summary>
    private static readonly HashSet<string> FailedStopCodes = new(StringComparer.Ordinal) { "TaskFailedToStart", ServiceCause.EssentialContainerExited };

    public static async Task<ServiceDiagnosis> ReadAsync(
        DiagnosticsClients clients, IReadOnlyList<ServiceLocation> services, TimeProvider time, CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var reports = new List<ServiceReport>();
        foreach (var cluster in services.GroupBy(s => s.Cluster, StringComparer.Ordinal))
        {
            var described = await clients.Ecs.DescribeServicesAsync(
                new DescribeServicesRequest { Cluster = cluster.Key, Services = [.. cluster.Select(s => s.ServiceArn)] }, cancellationToken);
            foreach (var location in cluster)
            {
                var service = described.Services.FirstOrDefault(s => s.ServiceArn == location.ServiceArn);
                reports.Add(service is null ? Missing(location) : await ReadAsync(clients, location, service, cancellationToken));
            }
        }
        return new ServiceDiagnosis(readAt, [.. services.Select(l => reports.First(r => r.ServiceArn == l.ServiceArn))]);
    }

    private static async Task<ServiceReport> ReadAsync(DiagnosticsClients clients, ServiceLocation location, Service service, CancellationToken ct)
    {
        var stopped = await StoppedTasksAsync(clients.Ecs, location, ct);
        var targetGroup = service.LoadBalancers.Select(b => b.TargetGroupArn).FirstOrDefault(a => a is not null);
        var failed = stopped.FirstOrDefault(IsFailure);
        return new ServiceReport(
            location.Component, service.ServiceName, service.RunningCount, service.PendingCount, service.DesiredCount, location.HealthCheckPath,
            [.. service.Events.OrderByDescending(e => e.CreatedAt).Take(ServiceReportLimits.Events)
                .Select(e => new ServiceEventLine(Utc(e.CreatedAt), ServiceReportLimits.Cut(e.Message)))],
            [.. stopped.Take(ServiceReportLimits.StoppedTasks).Select(Stopped)],
            targetGroup is null ? null : await TargetsAsync(clients.ElasticLoadBalancing, targetGroup, ct),
            failed is null || location.LogGroup is null ? [] : await LogLinesAsync(clients.Logs, location, failed, ct))
        {
            ServiceArn = location.ServiceArn,
            Status = service.Status ?? "ACTIVE",
        };
    }

    /// <summary>A service ECS does not know (deleted and forgotten, or never made): nothing runs.</summary>
    private static ServiceReport Missing(ServiceLocation location) =>
        new(location.Component, location.ServiceArn[(location.ServiceArn.LastIndexOf('/') + 1)..], 0, 0, 0, location.HealthCheckPath, [], [], null, [])
        {
            ServiceArn = location.ServiceArn,
            Status = ServiceReport.MissingStatus,
        };

    /// <summary>The service's stopped tasks, newest first (ECS keeps them about an hour).</summary>
    private static async Task<List<EcsTask>> StoppedTasksAsync(IEcs ecs, ServiceLocation location, CancellationToken ct)
    {
        var listed = await ecs.ListTasksAsync(new ListTasksRequest
        {
            Cluster = location.Cluster,
            ServiceName = location.ServiceArn,
            DesiredStatus = DesiredStatus.Stopped,
            Limit = EcsClient.MaxTasksPerCall,
        }, ct);
        if (listed.TaskArns.Count == 0)
            return [];
        var described = await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = location.Cluster, Tasks = listed.TaskArns }, ct);
        return [.. described.Tasks.OrderByDescending(t => t.StoppedAt ?? t.CreatedAt)];
    }

    private static bool IsFailure(EcsTask task) =>
        (task.StopCode is { } code && FailedStopCodes.Contains(code))
        || task.StoppedReason?.Contains("health checks", StringComparison.OrdinalIgnoreCase) == true;

    private static StoppedTask Stopped(EcsTask task) => new(
        TaskId(task.TaskArn), task.StoppedAt is { } at ? Utc(at) : null, task.StopCode, Cut(task.StoppedReason),
        [.. task.Containers.Select(c => new ContainerExit(c.Name, c.Image, c.ExitCode, Cut(c.Reason)))]);

    /// <summary>The target group's health; null when it is gone (deleted by a rollback) or cannot be read.</summary>
    private static async Task<TargetHealthReport?> TargetsAsync(IElasticLoadBalancingV2 elb, string targetGroupArn, CancellationToken ct)
    {
        try
        {
            var health = await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, ct);
            var targets = health.TargetHealthDescriptions;
            return new TargetHealthReport(
                targets.Count(t => t.TargetHealth.State == TargetHealthState.Healthy), targets.Count,
                [.. targets.Where(t => t.TargetHealth.State != TargetHealthState.Healthy).Take(ServiceReportLimits.UnhealthyTargets)
                    .Select(t => new UnhealthyTarget(t.Target.Id, t.Target.Port, t.TargetHealth.State, t.TargetHealth.Reason, Cut(t.TargetHealth.Description)))]);
        }
        catch (AwsServiceException e) when (!e.IsTransient)
        {
            return null;
        }
    }

    /// <summary>The last lines of the failed task's container; none when it never wrote any (its stream does not exist).</summary>
    private static async Task<IReadOnlyList<LogLine>> LogLinesAsync(ICloudWatchLogs logs, ServiceLocation location, EcsTask task, CancellationToken ct)
    {
        try
        {
            var page = await logs.GetLogEventsAsync(new GetLogEventsRequest
            {
                LogGroupName = location.LogGroup,
                LogStreamName = location.LogStream(TaskId(task.TaskArn)),
                Limit = ServiceReportLimits.LogLines,
            }, ct);
            return [.. page.Events.Select(e => new LogLine(Utc(e.Timestamp), ServiceReportLimits.Cut(e.Message.TrimEnd('\n', '\r'))))];
        }
        catch (AwsServiceException e) when (!e.IsTransient)
        {
            return [];
        }
    }

    private static string TaskId(string taskArn) => taskArn[(taskArn.LastIndexOf('/') + 1)..];

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static string? Cut(string? text) => text is null ? null : ServiceReportLimits.Cut(text);
}
