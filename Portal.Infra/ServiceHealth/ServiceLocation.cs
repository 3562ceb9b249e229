using Portal.Infra.Stacks;

namespace Portal.Infra.ServiceHealth;

/// <summary>A resource of a stack as its events name it: the physical id CloudFormation gave the logical one.</summary>
public sealed record StackResourceId(string LogicalId, string ResourceType, string PhysicalId);

/// <summary>
/// Where one of an environment's ECS services is, and where its containers write their logs: what the diagnosis
/// calls need, found among the stack's resources (<see cref="Find"/>).
/// </summary>
/// <param name="Component">The tier (<see cref="EnvironmentService.Component"/>).</param>
/// <param name="Cluster">The ECS cluster's name or ARN.</param>
/// <param name="ServiceArn">The ECS service (an AWS::ECS::Service's physical id is its ARN).</param>
/// <param name="LogGroup">The awslogs group of its containers; null when the stack never made it.</param>
/// <param name="LogStreamPrefix">awslogs' stream prefix: a task's stream is <c>prefix/container/task-id</c>.</param>
/// <param name="HealthCheckPath">The target group's health check path when the caller knows it (the spec says it).</param>
public sealed record ServiceLocation(
    string Component, string Cluster, string ServiceArn, string? LogGroup, string LogStreamPrefix, string? HealthCheckPath)
{
    private const string ServiceType = "AWS::ECS::Service";
    private const string ClusterType = "AWS::ECS::Cluster";
    private const string LogGroupType = "AWS::Logs::LogGroup";

    /// <summary>The log stream of <paramref name="taskId"/>'s container.</summary>
    public string LogStream(string taskId) => $"{LogStreamPrefix}/{EnvironmentService.ContainerName}/{taskId}";

    /// <summary>
    /// The environment's services among <paramref name="resources"/> (from the stack's events, newest physical id per
    /// logical id), in <see cref="EnvironmentService.All"/>'s order; a service CloudFormation never made is left out.
    /// </summary>
    /// <param name="healthCheckPath">The health check path of a component, when known.</param>
    public static IReadOnlyList<ServiceLocation> Find(IEnumerable<StackResourceId> resources, Func<string, string?>? healthCheckPath = null)
    {
        var list = resources.ToList();
        var cluster = list.FirstOrDefault(r => r.ResourceType == ClusterType)?.PhysicalId;
        var found = new List<ServiceLocation>();
        foreach (var service in EnvironmentService.All)
        {
            var arn = Named(list, ServiceType, service.ServiceLogicalIdPrefix);
            if (arn is null || (ClusterOf(arn) ?? cluster) is not { } clusterName)
                continue;
            found.Add(new ServiceLocation(service.Component, clusterName, arn, Named(list, LogGroupType, service.LogGroupLogicalIdPrefix),
                service.ServiceName, healthCheckPath?.Invoke(service.Component)));
        }
        return found;
    }

    /// <summary>
    /// The newest physical id of each logical id in <paramref name="events"/> (oldest first), skipping the stack's own
    /// events and those before CloudFormation named the resource.
    /// </summary>
    public static IReadOnlyList<StackResourceId> FromEvents(IEnumerable<(string LogicalId, string ResourceType, string? PhysicalId)> events)
    {
        var newest = new Dictionary<string, StackResourceId>(StringComparer.Ordinal);
        foreach (var (logicalId, type, physicalId) in events)
        {
            if (string.IsNullOrEmpty(physicalId) || type == "AWS::CloudFormation::Stack")
                continue;
            newest[logicalId] = new StackResourceId(logicalId, type, physicalId);
        }
        return [.. newest.Values];
    }

    private static string? Named(List<StackResourceId> resources, string type, string logicalIdPrefix) =>
        resources.LastOrDefault(r => r.ResourceType == type && r.LogicalId.StartsWith(logicalIdPrefix, StringComparison.Ordinal)
            && IsHash(r.LogicalId.AsSpan(logicalIdPrefix.Length)))?.PhysicalId;

    /// <summary>CDK's logical ids end in an 8-character hash: <c>FrontendService</c> must not match <c>FrontendServiceRole…</c>.</summary>
    private static bool IsHash(ReadOnlySpan<char> rest) => rest.Length == 8 && !rest.ContainsAnyExcept("0123456789ABCDEF");

    /// <summary>The cluster of a long-format service ARN (<c>…:service/cluster/name</c>); null for the old short format.</summary>
    private static string? ClusterOf(string serviceArn)
    {
        var resource = serviceArn[(serviceArn.LastIndexOf(':') + 1)..].Split('/');
        return resource is ["service", var cluster, _] ? cluster : null;
    }
}
