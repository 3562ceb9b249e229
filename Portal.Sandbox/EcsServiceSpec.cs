using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// What an AWS::ECS::Service of a stack runs, read from its rendered properties and the resources they name: the task
/// definition's containers (images, awslogs group and stream prefix, secrets), the desired count, the cluster, and the
/// target group it registers with (with its health check path).
/// </summary>
internal sealed record EcsServiceSpec(
    string TaskDefinitionArn, int DesiredCount, string ClusterArn, string LaunchType, IReadOnlyList<ContainerSpec> Containers,
    string? TargetGroupArn, string? LoadBalancedContainer, int? LoadBalancedPort, string HealthCheckPath,
    bool CircuitBreaker, bool CircuitBreakerRollback)
{
    /// <summary>The service's spec, or null for another type or a task definition the stack does not hold.</summary>
    public static EcsServiceSpec? From(
        TemplateResource resource, JsonObject properties, StackBlueprint blueprint,
        IReadOnlyDictionary<string, DeployedResource> resources, IntrinsicEvaluator evaluator)
    {
        if (resource.Type != "AWS::ECS::Service" || properties["TaskDefinition"]?.ToString() is not { } taskDefinitionArn ||
            ContainersOf(taskDefinitionArn, blueprint, resources, evaluator) is not { } containers)
            return null;
        var stack = blueprint.Stack;
        var cluster = properties["Cluster"]?.ToString() ?? "default";
        var clusterArn = cluster.StartsWith("arn:", StringComparison.Ordinal) ? cluster : $"arn:aws:ecs:{stack.Region}:{stack.AccountId}:cluster/{cluster}";
        var loadBalancer = properties["LoadBalancers"] is JsonArray { Count: > 0 } balancers ? balancers[0] : null;
        var targetGroupArn = loadBalancer?["TargetGroupArn"]?.ToString();
        var breaker = properties["DeploymentConfiguration"]?["DeploymentCircuitBreaker"];
        return new EcsServiceSpec(
            taskDefinitionArn, Number(properties["DesiredCount"]) ?? 1, clusterArn, properties["LaunchType"]?.ToString() ?? "FARGATE", containers,
            targetGroupArn, loadBalancer?["ContainerName"]?.ToString(), Number(loadBalancer?["ContainerPort"]),
            HealthCheckPathOf(targetGroupArn, blueprint, resources, evaluator),
            Flag(breaker?["Enable"]), Flag(breaker?["Rollback"]));
    }

    /// <summary>The containers of the stack's task definition <paramref name="taskDefinitionArn"/>, or null when it holds none such.</summary>
    public static IReadOnlyList<ContainerSpec>? ContainersOf(
        string taskDefinitionArn, StackBlueprint blueprint, IReadOnlyDictionary<string, DeployedResource> resources, IntrinsicEvaluator evaluator)
    {
        var taskDefinition = resources.Values.FirstOrDefault(r => r.Type == "AWS::ECS::TaskDefinition" && r.PhysicalId == taskDefinitionArn);
        if (taskDefinition is null || !blueprint.ResourcesById.TryGetValue(taskDefinition.LogicalId, out var declared))
            return null;
        var definitions = evaluator.Evaluate(declared.Properties["ContainerDefinitions"]) as JsonArray ?? [];
        return definitions.OfType<JsonObject>().Select(c =>
        {
            var logging = c["LogConfiguration"] is JsonObject l && l["LogDriver"]?.ToString() == "awslogs" ? l["Options"] : null;
            var secrets = (c["Secrets"] as JsonArray ?? []).Select(s => s?["ValueFrom"]?.ToString()).OfType<string>().ToList();
            var port = c["PortMappings"] is JsonArray { Count: > 0 } ports ? Number(ports[0]?["ContainerPort"]) : null;
            return new ContainerSpec(c["Name"]?.ToString() ?? "app", c["Image"]?.ToString() ?? "", port,
                logging?["awslogs-group"]?.ToString(), logging?["awslogs-stream-prefix"]?.ToString(), secrets);
        }).ToList();
    }

    private static string HealthCheckPathOf(
        string? targetGroupArn, StackBlueprint blueprint, IReadOnlyDictionary<string, DeployedResource> resources, IntrinsicEvaluator evaluator)
    {
        var targetGroup = resources.Values.FirstOrDefault(r => r.Type == "AWS::ElasticLoadBalancingV2::TargetGroup" && r.PhysicalId == targetGroupArn);
        return targetGroup is not null && blueprint.ResourcesById.TryGetValue(targetGroup.LogicalId, out var declared) &&
            evaluator.Evaluate(declared.Properties["HealthCheckPath"])?.ToString() is { Length: > 0 } path
            ? path
            : "/"; // Elastic Load Balancing's default
    }

    private static int? Number(JsonNode? node) =>
        int.TryParse(node?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool Flag(JsonNode? node) => string.Equals(node?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
}
