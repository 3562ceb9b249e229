using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The ECS actions the sandbox answers (JSON 1.1, target <c>AmazonEC2ContainerServiceV20141113</c>), from the stacks'
/// services as they are by the sandbox's clock. Called under the simulator's lock.
/// </summary>
internal static class EcsActions
{
    public const string TargetPrefix = "AmazonEC2ContainerServiceV20141113";

    // The API reference's limits: 10 services per DescribeServices, 100 tasks per DescribeTasks and per ListTasks page.
    private const int MaxServices = 10, MaxTasks = 100, MaxIdentifier = 2048;

    public static readonly IReadOnlyDictionary<string, Func<CloudFormationSimulator, JsonRequest, JsonObject>> Handlers =
        new Dictionary<string, Func<CloudFormationSimulator, JsonRequest, JsonObject>>(StringComparer.Ordinal)
        {
            ["DescribeServices"] = DescribeServices,
            ["ListTasks"] = ListTasks,
            ["DescribeTasks"] = DescribeTasks,
        };

    private static JsonObject DescribeServices(CloudFormationSimulator simulator, JsonRequest request)
    {
        var cluster = Cluster(simulator, request);
        var names = request.Strings("services", MaxServices, MaxIdentifier);
        if (names.Count == 0)
            throw JsonRequest.Invalid("Services cannot be empty.");
        var now = simulator.Time.GetUtcNow();
        var services = new JsonArray();
        var failures = new JsonArray();
        foreach (var name in names)
        {
            if (Find(simulator, cluster, name) is { } service)
                services.Add(Service(service, now));
            else
                failures.Add(new JsonObject
                {
                    ["arn"] = name.StartsWith("arn:", StringComparison.Ordinal) ? name : ServiceArn(simulator, cluster, name),
                    ["reason"] = "MISSING",
                });
        }
        return new JsonObject { ["services"] = services, ["failures"] = failures };
    }

    private static JsonObject ListTasks(CloudFormationSimulator simulator, JsonRequest request)
    {
        var cluster = Cluster(simulator, request);
        var serviceName = request.String("serviceName", MaxIdentifier);
        var desiredStatus = request.String("desiredStatus", 16) ?? "RUNNING";
        if (desiredStatus is not ("RUNNING" or "PENDING" or "STOPPED"))
            throw JsonRequest.Invalid("desiredStatus must be one of RUNNING, PENDING, STOPPED.");
        var maxResults = (int)(request.Number("maxResults", 1, MaxTasks) ?? MaxTasks);
        var start = request.String("nextToken", 1024) is { } token ? ReadToken(token) : 0;
        var now = simulator.Time.GetUtcNow();

        IEnumerable<SimulatedService> services = InCluster(simulator, cluster);
        if (serviceName is not null)
        {
            var service = Find(simulator, cluster, serviceName) ?? throw new CloudFormationError(HttpStatusCode.BadRequest, "ServiceNotFoundException", "Service not found.");
            services = [service];
        }
        var tasks = services.SelectMany(s => s.Tasks)
            .Where(t => t.CreatedAt <= now && desiredStatus switch
            {
                "STOPPED" => t.DesiredStatusAt(now) == "STOPPED",
                "PENDING" => t.DesiredStatusAt(now) == "RUNNING" && t.LastStatusAt(now) is "PROVISIONING" or "PENDING",
                _ => t.DesiredStatusAt(now) == "RUNNING",
            })
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => t.TaskArn)
            .ToList();
        var page = tasks.Skip(start).Take(maxResults).ToList();
        var reply = new JsonObject { ["taskArns"] = new JsonArray([.. page.Select(a => JsonValue.Create(a))]) };
        if (start + page.Count < tasks.Count)
            reply["nextToken"] = Token(start + page.Count);
        return reply;
    }

    private static JsonObject DescribeTasks(CloudFormationSimulator simulator, JsonRequest request)
    {
        var cluster = Cluster(simulator, request);
        var ids = request.Strings("tasks", MaxTasks, MaxIdentifier);
        if (ids.Count == 0)
            throw JsonRequest.Invalid("Tasks cannot be empty.");
        var now = simulator.Time.GetUtcNow();
        var known = InCluster(simulator, cluster).SelectMany(s => s.Tasks.Select(t => (Service: s, Task: t))).Where(x => x.Task.CreatedAt <= now).ToList();
        var tasks = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in ids)
        {
            var found = known.FirstOrDefault(x => x.Task.TaskArn == id || x.Task.TaskId == id);
            if (found.Task is not null)
                tasks.Add(Task(found.Service, found.Task, now));
            else
                failures.Add(new JsonObject
                {
                    ["arn"] = id.StartsWith("arn:", StringComparison.Ordinal) ? id : $"arn:aws:ecs:{simulator.Options.Region}:{simulator.Options.AccountId}:task/{Name(cluster)}/{id}",
                    ["reason"] = "MISSING",
                });
        }
        return new JsonObject { ["tasks"] = tasks, ["failures"] = failures };
    }

    private static JsonObject Service(SimulatedService service, DateTimeOffset now)
    {
        var status = service.StatusAt(now);
        var visible = service.Deployments.Where(d => d.CreatedAt <= now && !(d.RolledBackAt <= now)).ToList();
        var primary = visible.LastOrDefault();
        var deployments = new JsonArray();
        foreach (var deployment in Enumerable.Reverse(visible))
        {
            var tasks = service.Tasks.Where(t => t.DeploymentId == deployment.Id && t.CreatedAt <= now).ToList();
            var isPrimary = deployment == primary;
            if (!isPrimary && !tasks.Any(t => t.IsRunningAt(now)))
                continue; // replaced, and none of its tasks left
            var (rollout, rolloutReason) =
                deployment.FailedAt <= now ? ("FAILED", "ECS deployment circuit breaker: tasks failed to start.")
                : deployment.CompletedAt <= now ? ("COMPLETED", $"ECS deployment {deployment.Id} completed.")
                : ("IN_PROGRESS", $"ECS deployment {deployment.Id} in progress.");
            deployments.Add(new JsonObject
            {
                ["id"] = deployment.Id,
                ["status"] = isPrimary ? "PRIMARY" : "ACTIVE",
                ["taskDefinition"] = deployment.TaskDefinitionArn,
                ["desiredCount"] = status == "ACTIVE" && isPrimary ? deployment.DesiredCount : 0,
                ["pendingCount"] = tasks.Count(t => t.DesiredStatusAt(now) == "RUNNING" && !t.IsRunningAt(now)),
                ["runningCount"] = tasks.Count(t => t.IsRunningAt(now)),
                ["failedTasks"] = tasks.Count(t => t.StoppedAt <= now && t.StoppedReason?.StartsWith("Scaling activity", StringComparison.Ordinal) == false),
                ["createdAt"] = Epoch(deployment.CreatedAt),
                ["updatedAt"] = Epoch(new[] { deployment.CreatedAt, deployment.CompletedAt, deployment.FailedAt }.Where(t => t <= now).Max()!.Value),
                ["launchType"] = service.LaunchType,
                ["rolloutState"] = rollout,
                ["rolloutStateReason"] = rolloutReason,
            });
        }
        var all = service.Tasks.Where(t => t.CreatedAt <= now).ToList();
        var reply = new JsonObject
        {
            ["serviceArn"] = service.ServiceArn,
            ["serviceName"] = service.ServiceName,
            ["clusterArn"] = service.ClusterArn,
            ["status"] = status,
            ["desiredCount"] = status == "ACTIVE" ? primary?.DesiredCount ?? 0 : 0,
            ["runningCount"] = all.Count(t => t.IsRunningAt(now)),
            ["pendingCount"] = all.Count(t => t.DesiredStatusAt(now) == "RUNNING" && !t.IsRunningAt(now)),
            ["launchType"] = service.LaunchType,
            ["taskDefinition"] = primary?.TaskDefinitionArn,
            ["schedulingStrategy"] = "REPLICA",
            ["createdAt"] = Epoch(service.CreatedAt),
            ["deploymentConfiguration"] = new JsonObject
            {
                ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = service.CircuitBreaker, ["rollback"] = service.CircuitBreakerRollback },
                ["maximumPercent"] = 200,
                ["minimumHealthyPercent"] = 100,
            },
            ["loadBalancers"] = service.TargetGroupArn is null ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["targetGroupArn"] = service.TargetGroupArn,
                ["containerName"] = service.LoadBalancedContainer,
                ["containerPort"] = service.LoadBalancedPort,
            }),
            ["deployments"] = deployments,
            ["events"] = new JsonArray([.. service.Events.Where(e => e.At <= now).Reverse().Select(e => new JsonObject
            {
                ["id"] = e.Id,
                ["createdAt"] = Epoch(e.At),
                ["message"] = e.Message,
            })]),
        };
        return reply;
    }

    private static JsonObject Task(SimulatedService service, SimulatedTask task, DateTimeOffset now)
    {
        var lastStatus = task.LastStatusAt(now);
        var stopping = task.StoppingAt <= now;
        var stopped = task.StoppedAt <= now;
        var reply = new JsonObject
        {
            ["taskArn"] = task.TaskArn,
            ["clusterArn"] = service.ClusterArn,
            ["taskDefinitionArn"] = task.TaskDefinitionArn,
            ["group"] = $"service:{service.ServiceName}",
            ["startedBy"] = task.DeploymentId,
            ["lastStatus"] = lastStatus,
            ["desiredStatus"] = task.DesiredStatusAt(now),
            ["launchType"] = service.LaunchType,
            ["availabilityZone"] = task.AvailabilityZone,
            ["healthStatus"] = "UNKNOWN",
            ["createdAt"] = Epoch(task.CreatedAt),
            ["containers"] = new JsonArray([.. task.Containers.Select(c =>
            {
                var container = new JsonObject
                {
                    ["containerArn"] = c.ContainerArn,
                    ["taskArn"] = task.TaskArn,
                    ["name"] = c.Name,
                    ["image"] = c.Image,
                    ["lastStatus"] = lastStatus is "DEACTIVATING" ? "RUNNING" : lastStatus,
                    ["healthStatus"] = "UNKNOWN",
                    ["networkInterfaces"] = new JsonArray(new JsonObject { ["privateIpv4Address"] = task.PrivateIp }),
                };
                if (stopped && c.ExitCode is { } exitCode)
                    container["exitCode"] = exitCode;
                if (stopped && c.Reason is { } reason)
                    container["reason"] = reason;
                return container;
            })]),
        };
        Timestamp(reply, "pullStartedAt", task.PullStartedAt, now);
        Timestamp(reply, "pullStoppedAt", task.PullStoppedAt, now);
        Timestamp(reply, "startedAt", task.StartedAt, now);
        Timestamp(reply, "stoppingAt", task.StoppingAt, now);
        Timestamp(reply, "stoppedAt", task.StoppedAt, now);
        if (stopping)
        {
            reply["stopCode"] = task.StopCode;
            reply["stoppedReason"] = task.StoppedReason;
        }
        return reply;
    }

    /// <summary>The cluster a request names (by name or ARN; "default" when none), which must exist or have existed.</summary>
    private static string Cluster(CloudFormationSimulator simulator, JsonRequest request)
    {
        var cluster = request.String("cluster", MaxIdentifier) ?? "default";
        var known = simulator.Services().Select(x => x.Service.ClusterArn)
            .FirstOrDefault(arn => arn == cluster || Name(arn) == cluster);
        return known ?? throw new CloudFormationError(HttpStatusCode.BadRequest, "ClusterNotFoundException", "Cluster not found.");
    }

    private static IEnumerable<SimulatedService> InCluster(CloudFormationSimulator simulator, string clusterArn) =>
        simulator.Services().Select(x => x.Service).Where(s => s.ClusterArn == clusterArn);

    /// <summary>The service by name or ARN: the live one, else the most recently deleted.</summary>
    private static SimulatedService? Find(CloudFormationSimulator simulator, string clusterArn, string nameOrArn) =>
        InCluster(simulator, clusterArn)
            .Where(s => s.ServiceArn == nameOrArn || s.ServiceName == nameOrArn)
            .OrderBy(s => s.DeletedAt is null)
            .ThenBy(s => s.DeletedAt ?? s.CreatedAt)
            .LastOrDefault();

    private static string ServiceArn(CloudFormationSimulator simulator, string clusterArn, string name) =>
        $"arn:aws:ecs:{simulator.Options.Region}:{simulator.Options.AccountId}:service/{Name(clusterArn)}/{name}";

    private static string Name(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private static void Timestamp(JsonObject reply, string name, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at <= now)
            reply[name] = Epoch(at.Value);
    }

    /// <summary>JSON 1.1 timestamps: seconds since the epoch, with milliseconds.</summary>
    private static double Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    private static string Token(int position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"ecs|{position}")));

    private static int ReadToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("ecs|", StringComparison.Ordinal) && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                return position;
        }
        catch (FormatException)
        {
            // answered below like any token that is not ours
        }
        throw JsonRequest.Invalid("The nextToken is invalid.");
    }
}
