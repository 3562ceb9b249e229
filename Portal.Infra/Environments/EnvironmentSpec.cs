using System.Text.Json.Serialization;

namespace Portal.Infra.Environments;

/// <summary>
/// What an engineer asks for: the form, the API body and the synth input (see DESIGN.md).
/// Values arrive unchecked; <see cref="EnvironmentSpecValidator"/> reports every problem with its field path.
/// </summary>
public sealed record EnvironmentSpec
{
    public string Name { get; init; } = "";
    public string Target { get; init; } = "";
    public FrontendSpec Frontend { get; init; } = new();
    public BackendSpec Backend { get; init; } = new();

    /// <summary>The CloudFormation stack that holds this environment; stable across revisions.</summary>
    [JsonIgnore]
    public string StackName => $"portal-{Name}";
}

/// <summary>One tier: a Fargate service behind its load balancer.</summary>
public abstract record ServiceSpec
{
    public ImageRef Image { get; init; } = new();
    public int ContainerPort { get; init; }
    public int Cpu { get; init; }
    public int MemoryMiB { get; init; }
    public int DesiredCount { get; init; }
    public string HealthCheckPath { get; init; } = "";
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<SecretRef> Secrets { get; init; } = [];
}

/// <summary>The public tier; its load balancer always listens on HTTP :80 (the seed).</summary>
public sealed record FrontendSpec : ServiceSpec;

/// <summary>The private tier; its internal load balancer listens on <see cref="ListenerPort"/>.</summary>
public sealed record BackendSpec : ServiceSpec
{
    public int ListenerPort { get; init; }
}

/// <summary>An ECR image: a repository name or full URI, and exactly one of tag or digest.</summary>
public sealed record ImageRef
{
    public string Repository { get; init; } = "";
    public string? Tag { get; init; }
    public string? Digest { get; init; }
}

/// <summary>A Secrets Manager secret injected as an environment variable. Only the ARN is ever stored.</summary>
public sealed record SecretRef
{
    public string Name { get; init; } = "";
    public string SecretArn { get; init; } = "";
    public string? JsonKey { get; init; }
    public string? VersionStage { get; init; }
    public string? VersionId { get; init; }
}
