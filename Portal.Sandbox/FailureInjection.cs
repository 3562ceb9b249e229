using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// The sandbox's deliberate failure: an ECS service whose task definition runs an image tagged <c>fail-…</c> fails as a
/// real one does when the deployment circuit breaker trips. Four tags say how its tasks fail (<see cref="Kinds"/>); any
/// other <c>fail-…</c> tag fails them as <see cref="Exit"/> does.
/// </summary>
internal static class FailureInjection
{
    public const string FailingTagPrefix = "fail-";
    public const string Pull = "fail-pull", Exit = "fail-exit", Health = "fail-health", Secret = "fail-secret";

    public static readonly IReadOnlyList<string> Kinds = [Pull, Exit, Health, Secret];

    /// <summary>The failure reason for this resource, or null when it deploys fine.</summary>
    public static string? Reason(
        TemplateResource resource, JsonObject renderedProperties, StackBlueprint blueprint,
        IReadOnlyDictionary<string, DeployedResource> resources, IntrinsicEvaluator evaluator)
    {
        if (resource.Type != "AWS::ECS::Service" || renderedProperties["TaskDefinition"]?.ToString() is not { } taskDefinitionArn ||
            EcsServiceSpec.ContainersOf(taskDefinitionArn, blueprint, resources, evaluator) is not { } containers)
            return null;
        return Failing(containers) is not null
            ? $"Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" (RequestToken: {Guid.NewGuid()}, HandlerErrorCode: GeneralServiceException)"
            : null;
    }

    /// <summary>The first container whose image asks to fail, and how (one of <see cref="Kinds"/>, else <see cref="Exit"/>); null when none does.</summary>
    public static (ContainerSpec Container, string Kind)? Failing(IReadOnlyList<ContainerSpec> containers)
    {
        foreach (var container in containers)
        {
            if (ImageTag(container.Image) is not { } tag || !tag.StartsWith(FailingTagPrefix, StringComparison.Ordinal))
                continue;
            var kind = Kinds.FirstOrDefault(k => tag == k || tag.StartsWith(k + "-", StringComparison.Ordinal)) ?? Exit;
            return (container, kind);
        }
        return null;
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
