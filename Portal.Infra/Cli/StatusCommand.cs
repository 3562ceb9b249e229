using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Infra.ServiceHealth;

namespace Portal.Infra.Cli;

/// <summary>
/// <c>status --name NAME --target T</c>: is the environment healthy? Its stack's status, then per service the tasks,
/// the targets, ECS's newest events, the last stopped tasks and the last log lines of a failed one. Exit 0 when every
/// service runs its desired tasks behind healthy targets, 1 when not (or the stack does not exist), 2 for bad input.
/// </summary>
internal static class StatusCommand
{
    private const int EventsShown = 3;

    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var name = line.Required("name");
        var stackName = new EnvironmentSpec { Name = name }.StackName;
        await using var host = await CliHost.StartAsync(line.Required("target"), ct);
        var stack = await ChangeSets.DescribeAsync(host.CloudFormation, stackName, ct);
        if (stack is null)
        {
            error.WriteLine($"Stack {stackName} does not exist on this target: never deployed, destroyed, or deleted outside the portal.");
            return ExitCodes.Failed;
        }
        output.WriteLine($"{stackName}: {stack.StackStatus}");
        var diagnosis = await ReadAsync(host, stack.StackId, ct);
        if (diagnosis is null)
        {
            error.WriteLine($"{stackName} has no ECS services.");
            return ExitCodes.Failed;
        }
        Print(diagnosis, output);
        if (diagnosis.IsHealthy)
            return ExitCodes.Ok;
        error.WriteLine(diagnosis.Cause ?? "not healthy: a service runs fewer tasks than it wants, or a target is not healthy");
        return ExitCodes.Failed;
    }

    /// <summary>The stack's services as ECS, ELB and CloudWatch Logs tell them now, found through its events; null without services.</summary>
    public static async Task<ServiceDiagnosis?> ReadAsync(CliHost host, string stackId, CancellationToken ct)
    {
        var history = await StackEventWatcher.HistoryAsync(host.CloudFormation, stackId, ct);
        var services = ServiceLocation.Find(ServiceLocation.FromEvents(
            history.Where(e => e.LogicalResourceId is not null && e.ResourceType is not null)
                .Select(e => (e.LogicalResourceId!, e.ResourceType!, e.PhysicalResourceId))));
        return services.Count == 0 ? null : await ServiceReader.ReadAsync(host.Diagnostics, services, TimeProvider.System, ct);
    }

    private static void Print(ServiceDiagnosis diagnosis, TextWriter output)
    {
        foreach (var service in diagnosis.Services)
        {
            var targets = service.Targets is { } t ? $", targets {t.Healthy}/{t.Total} healthy" : "";
            output.WriteLine($"{service.Component} ({service.ServiceName}, {service.Status}): {(service.IsHealthy ? "healthy" : "NOT HEALTHY")}, " +
                             $"tasks {service.Running}/{service.Desired} running, {service.Pending} pending{targets}");
            foreach (var target in service.Targets?.Unhealthy ?? [])
                output.WriteLine($"  target {target.Id}:{target.Port} {target.State} {target.Reason} {target.Description}".TrimEnd());
            foreach (var e in service.Events.Take(EventsShown))
                output.WriteLine($"  {e.At:HH:mm:ss} {e.Message}");
            foreach (var task in service.StoppedTasks)
                output.WriteLine($"  stopped {task.TaskId} {task.StopCode}: {task.StoppedReason}" +
                                 string.Concat(task.Containers.Where(c => c.ExitCode is not null).Select(c => $" ({c.Name} exit {c.ExitCode})")));
            foreach (var log in service.LogLines)
                output.WriteLine($"  log {log.At:HH:mm:ss} {log.Message}");
        }
    }
}
