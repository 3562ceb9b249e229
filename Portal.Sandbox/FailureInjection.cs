using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The sandbox's deliberate failure: an ECS service whose task definition runs an image tagged
/// <c>fail-…</c> fails as a real one does when the deployment circuit breaker trips.
/// </summary>
internal static class FailureInjection
{
    public const string FailingTagPrefix = "fail-";

    /// <summary>The failure reason for this resource, or null when it deploys fine.</summary>
    public static string? Reason(
        TemplateResource resource, JsonObject renderedProperties, StackBlueprint blueprint,
        IReadOnlyDictionary<string, DeployedResource> resources, IntrinsicEvaluator evaluator)
    {
        if (resource.Type != "AWS::ECS::Service" || renderedProperties["TaskDefinition"]?.ToString() is not { } taskDefinitionArn)
            return null;
        var taskDefinition = resources.Values.FirstOrDefault(r => r.Type == "AWS::ECS::TaskDefinition" && r.PhysicalId == taskDefinitionArn);
        if (taskDefinition is null || !blueprint.ResourcesById.TryGetValue(taskDefinition.LogicalId, out var declared))
            return null;
        var containers = evaluator.Evaluate(declared.Properties["ContainerDefinitions"]) as JsonArray ?? [];
        var failing = containers.Any(c => c?["Image"] is JsonValue image && ImageTag(image.ToString())?.StartsWith(FailingTagPrefix, StringComparison.Ordinal) == true);
        return failing
            ? $"Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" (RequestToken: {Guid.NewGuid()}, HandlerErrorCode: GeneralServiceException)"
            : null;
    }

    /// <summary>The tag of <c>registry[:port]/repository:tag</c>; null for a digest or no tag.</summary>
    public static string? ImageTag(string image)
    {
        if (image.Contains('@'))
            return null;
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[(colon + 1)..] : null;
    }
}
