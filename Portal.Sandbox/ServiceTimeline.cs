using System.Globalization;

namespace Portal.Sandbox;

/// <summary>
/// Writes a deployment's story as ECS tells it: tasks started in rounds, each round going through its statuses; a healthy
/// one reaches a steady state with healthy targets; one whose image asks to fail (<see cref="FailureInjection"/>) stops
/// its tasks with ECS's reasons until the circuit breaker's threshold of failed tasks, then fails the deployment. All of
/// it happens within the service resource's duration, so CloudFormation's CREATE_FAILED or UPDATE_FAILED follows it.
/// </summary>
internal static class ServiceTimeline
{
    /// <summary>What a service keeps: ECS lists 100 events; stopped tasks beyond these are forgotten (ECS forgets them after an hour).</summary>
    public const int MaxEventsPerService = 100, MaxTasksPerService = 100, MaxDeploymentsPerService = 10;

    /// <summary>Tasks started at once: a desired count beyond this runs only this many (bounded state for any template).</summary>
    public const int MaxTasksPerRound = 20;

    private const int MaxRounds = 10;
    private const string UnhealthyCodes = "Health checks failed with these codes: [404]";

    /// <summary>Adds a deployment of <paramref name="spec"/> that starts at <paramref name="start"/> and is over within <paramref name="duration"/>.</summary>
    public static void Deploy(SimulatedService service, EcsServiceSpec spec, DateTimeOffset start, TimeSpan duration, string region, string accountId)
    {
        var failing = FailureInjection.Failing(spec.Containers);
        var previous = service.Deployments.LastOrDefault(d => d.FailedAt is null && d.RolledBackAt is null);
        var deployment = new SimulatedDeployment
        {
            Id = $"ecs-svc/{Random.Shared.NextInt64(1_000_000_000_000_000_000, long.MaxValue)}",
            TaskDefinitionArn = spec.TaskDefinitionArn,
            DesiredCount = Math.Max(0, spec.DesiredCount),
            CreatedAt = start,
            Containers = spec.Containers,
            Failure = failing?.Kind,
        };
        service.Deployments.Add(deployment);
        var story = new Story(service, deployment, start, duration, region, accountId, spec.HealthCheckPath);
        if (failing is { } failure)
            story.Fail(failure.Container, failure.Kind, previous);
        else
            story.Succeed(previous);
        Trim(service);
    }

    /// <summary>
    /// Ends what is still going at <paramref name="at"/> (of one deployment, or all): tasks not yet started are never
    /// started, running ones stop then, nothing later is told.
    /// </summary>
    public static void StopAt(SimulatedService service, DateTimeOffset at, SimulatedDeployment? only = null)
    {
        var reason = $"Scaling activity initiated by (deployment {(only ?? service.Deployments.LastOrDefault())?.Id})";
        foreach (var task in service.Tasks.Where(t => only is null || t.DeploymentId == only.Id).ToList())
        {
            if (task.CreatedAt > at)
            {
                service.Tasks.Remove(task);
                continue;
            }
            if (task.StoppedAt <= at)
                continue;
            if (!(task.StoppingAt <= at))
            {
                (task.StoppingAt, task.StopCode, task.StoppedReason) = (at, "ServiceSchedulerInitiated", reason);
                foreach (var container in task.Containers)
                    (container.ExitCode, container.Reason) = (null, null);
            }
            task.StoppedAt = at;
            task.PullStartedAt = task.PullStartedAt > at ? null : task.PullStartedAt;
            task.PullStoppedAt = task.PullStoppedAt > at ? null : task.PullStoppedAt;
            task.StartedAt = task.StartedAt > at ? null : task.StartedAt;
            task.HealthyAt = task.HealthyAt > at ? null : task.HealthyAt;
            task.UnhealthyAt = task.UnhealthyAt > at ? null : task.UnhealthyAt;
            foreach (var container in task.Containers)
                container.Logs.RemoveAll(line => line.At > at);
        }
        service.Events.RemoveAll(e => e.At > at);
        foreach (var deployment in service.Deployments.Where(d => only is null || d == only))
        {
            deployment.CompletedAt = deployment.CompletedAt > at ? null : deployment.CompletedAt;
            deployment.FailedAt = deployment.FailedAt > at ? null : deployment.FailedAt;
        }
    }

    private static void Trim(SimulatedService service)
    {
        service.Events.Sort((a, b) => a.At.CompareTo(b.At));
        if (service.Events.Count > MaxEventsPerService)
            service.Events.RemoveRange(0, service.Events.Count - MaxEventsPerService);
        service.Tasks.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        if (service.Tasks.Count > MaxTasksPerService)
            service.Tasks.RemoveRange(0, service.Tasks.Count - MaxTasksPerService);
        if (service.Deployments.Count > MaxDeploymentsPerService)
            service.Deployments.RemoveRange(0, service.Deployments.Count - MaxDeploymentsPerService);
    }

    /// <summary>One deployment's story, its times as fractions of the service resource's duration.</summary>
    private sealed class Story(
        SimulatedService service, SimulatedDeployment deployment, DateTimeOffset start, TimeSpan duration, string region, string accountId,
        string healthCheckPath)
    {
        private readonly string _service = $"(service {service.ServiceName})";

        private int PerRound => Math.Min(deployment.DesiredCount, MaxTasksPerRound);

        public void Succeed(SimulatedDeployment? previous)
        {
            var tasks = Launch(PerRound, 0.05);
            foreach (var task in tasks)
            {
                (task.PullStartedAt, task.PullStoppedAt, task.StartedAt) = (At(0.1), At(0.2), At(0.25));
                task.HealthyAt = service.TargetGroupArn is null ? null : At(0.6);
                Started(task, At(0.25));
                if (task.HealthyAt is { } healthy)
                    Log(task, service.LoadBalancedContainer, healthy, $"GET {healthCheckPath} 200");
            }
            if (service.TargetGroupArn is not null && tasks.Count > 0)
                Event(0.65, $"{_service} registered {tasks.Count} targets in (target-group {service.TargetGroupArn})");
            var replaced = previous is null ? [] : service.Tasks.Where(t => t.DeploymentId == previous.Id && !(t.StoppingAt <= At(0.75))).ToList();
            foreach (var task in replaced)
                (task.StoppingAt, task.StoppedAt, task.StopCode, task.StoppedReason) =
                    (At(0.75), At(0.8), "ServiceSchedulerInitiated", $"Scaling activity initiated by (deployment {deployment.Id})");
            if (replaced.Count > 0)
                Event(0.75, $"{_service} has stopped {replaced.Count} running tasks: {TaskList(replaced)}.");
            deployment.CompletedAt = At(0.9);
            Event(0.9, $"{_service} (deployment {deployment.Id}) deployment completed.");
            Event(0.9, $"{_service} has reached a steady state.");
        }

        public void Fail(ContainerSpec failing, string kind, SimulatedDeployment? previous)
        {
            if (kind == FailureInjection.Health && service.TargetGroupArn is null)
                kind = FailureInjection.Exit; // no load balancer checks its health: it fails as a container that exits
            var perRound = Math.Max(1, PerRound);
            // ECS's circuit breaker trips after half the desired count of failed tasks, at least 3 (at most 200).
            var threshold = Math.Clamp((int)Math.Ceiling(deployment.DesiredCount / 2.0), 3, 200);
            var rounds = Math.Min(MaxRounds, (threshold + perRound - 1) / perRound);
            var slice = 0.8 / rounds;
            for (var round = 0; round < rounds; round++)
            {
                var s = 0.05 + round * slice;
                double In(double fraction) => s + fraction * slice;
                var tasks = Launch(perRound, s);
                foreach (var task in tasks)
                {
                    var container = task.Containers.First(c => c.Name == failing.Name);
                    switch (kind)
                    {
                        case FailureInjection.Pull:
                            task.PullStartedAt = At(In(0.1));
                            var reason = $"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {failing.Image}: {failing.Image}: not found";
                            Stop(task, In(0.45), In(0.5), "TaskFailedToStart", reason);
                            container.Reason = reason;
                            break;
                        case FailureInjection.Secret:
                            Stop(task, In(0.35), In(0.4), "TaskFailedToStart",
                                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
                                "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " +
                                $"{SecretArn(failing)} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. " +
                                $"status code: 400, request id: {Guid.NewGuid()}");
                            break;
                        case FailureInjection.Health:
                            (task.PullStartedAt, task.PullStoppedAt, task.StartedAt, task.UnhealthyAt) = (At(In(0.1)), At(In(0.15)), At(In(0.2)), At(In(0.45)));
                            Started(task, At(In(0.2)));
                            foreach (var check in new[] { 0.45, 0.55, 0.65 })
                                Log(task, service.LoadBalancedContainer, At(In(check)), $"GET {healthCheckPath} 404");
                            Stop(task, In(0.7), In(0.8), "ServiceSchedulerInitiated", $"Task failed ELB health checks in (target-group {service.TargetGroupArn})");
                            break;
                        default:
                            (task.PullStartedAt, task.PullStoppedAt, task.StartedAt) = (At(In(0.1)), At(In(0.2)), At(In(0.3)));
                            Started(task, At(In(0.3)));
                            Log(task, failing.Name, At(In(0.35)), "Reading configuration from the environment");
                            Log(task, failing.Name, At(In(0.4)), "Connecting to dependencies");
                            Log(task, failing.Name, At(In(0.45)), "Error: start-up failed: a required setting is missing; exiting with code 1");
                            Stop(task, In(0.5), In(0.55), "EssentialContainerExited", "Essential container in task exited");
                            container.ExitCode = 1;
                            break;
                    }
                }
                if (kind == FailureInjection.Health)
                {
                    Event(In(0.25), $"{_service} registered {tasks.Count} targets in (target-group {service.TargetGroupArn})");
                    Event(In(0.45), $"{_service} (port {service.LoadBalancedPort}) is unhealthy in (target-group {service.TargetGroupArn}) due to (reason {UnhealthyCodes}).");
                    Event(In(0.7), $"{_service} has stopped {tasks.Count} running tasks: {TaskList(tasks)}.");
                }
            }
            Event(0.87, $"{_service} is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
            deployment.FailedAt = At(0.9);
            Event(0.9, $"{_service} (deployment {deployment.Id}) deployment failed: tasks failed to start.");
            if (previous is not null && service.CircuitBreakerRollback)
                Event(0.92, $"{_service} rolling back to deployment {previous.Id}.");
        }

        private List<SimulatedTask> Launch(int count, double at)
        {
            var tasks = Enumerable.Range(0, count).Select(_ => NewTask(At(at))).ToList();
            service.Tasks.AddRange(tasks);
            if (tasks.Count > 0)
                Event(at, $"{_service} has started {tasks.Count} tasks: {TaskList(tasks)}.");
            return tasks;
        }

        private SimulatedTask NewTask(DateTimeOffset createdAt)
        {
            var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            var arn = $"arn:aws:ecs:{region}:{accountId}:task/{service.ClusterName}/{id}";
            return new SimulatedTask
            {
                TaskId = id,
                TaskArn = arn,
                DeploymentId = deployment.Id,
                TaskDefinitionArn = deployment.TaskDefinitionArn,
                PrivateIp = string.Create(CultureInfo.InvariantCulture, $"10.0.{Random.Shared.Next(128, 256)}.{Random.Shared.Next(2, 255)}"),
                AvailabilityZone = region + (Random.Shared.Next(2) == 0 ? "a" : "b"),
                CreatedAt = createdAt,
                Containers = [.. deployment.Containers.Select(c => new SimulatedContainer
                {
                    Name = c.Name,
                    Image = c.Image,
                    ContainerArn = $"arn:aws:ecs:{region}:{accountId}:container/{service.ClusterName}/{id}/{Guid.NewGuid()}",
                    LogGroup = c.LogGroup,
                    LogStream = c.LogGroup is null || c.StreamPrefix is null ? null : $"{c.StreamPrefix}/{c.Name}/{id}",
                })],
            };
        }

        /// <summary>What every container writes as it starts.</summary>
        private void Started(SimulatedTask task, DateTimeOffset at)
        {
            foreach (var container in task.Containers)
            {
                Log(task, container.Name, at, $"Starting {container.Name} from {container.Image}");
                if (deployment.Containers.FirstOrDefault(c => c.Name == container.Name)?.Port is { } port)
                    Log(task, container.Name, at, $"Listening on port {port}");
            }
        }

        private static void Log(SimulatedTask task, string? containerName, DateTimeOffset at, string message) =>
            task.Containers.FirstOrDefault(c => c.Name == containerName && c.LogStream is not null)?.Logs.Add(new LogLine(at, message));

        private void Stop(SimulatedTask task, double stopping, double stopped, string stopCode, string reason) =>
            (task.StoppingAt, task.StoppedAt, task.StopCode, task.StoppedReason) = (At(stopping), At(stopped), stopCode, reason);

        private string SecretArn(ContainerSpec failing) =>
            failing.SecretArns.Concat(deployment.Containers.SelectMany(c => c.SecretArns)).FirstOrDefault()
            ?? $"arn:aws:secretsmanager:{region}:{accountId}:secret:{service.ServiceName}/{failing.Name}-a1B2c3";

        private void Event(double at, string message) => service.Events.Add(new ServiceEvent(Guid.NewGuid().ToString(), At(at), message));

        private DateTimeOffset At(double fraction) => start + duration * fraction;

        private static string TaskList(IEnumerable<SimulatedTask> tasks) => string.Join(' ', tasks.Select(t => $"(task {t.TaskId})"));
    }
}
