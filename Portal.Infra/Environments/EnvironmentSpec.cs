using System.Text.Json.Serialization;

namespace Portal.Infra.Environments;

/// <summary>
/// What an engineer asks for: the form, the API body and the synth input (see docs/SPEC.md).
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

    // Records compare collections by reference; a spec is a value, so compare their contents
    // (a revision that changes nothing is detectable, and a parsed spec equals the one serialized).
    public virtual bool Equals(ServiceSpec? other) =>
        other is not null && EqualityContract == other.EqualityContract &&
        Image == other.Image && ContainerPort == other.ContainerPort && Cpu == other.Cpu &&
        MemoryMiB == other.MemoryMiB && DesiredCount == other.DesiredCount && HealthCheckPath == other.HealthCheckPath &&
        Environment.Count == other.Environment.Count &&
        Environment.All(e => other.Environment.TryGetValue(e.Key, out var value) && value == e.Value) &&
        Secrets.SequenceEqual(other.Secrets);

    public override int GetHashCode() =>
        HashCode.Combine(EqualityContract, Image, ContainerPort, Cpu, MemoryMiB, DesiredCount, HealthCheckPath, Secrets.Count);
}

/// <summary>The public tier; its load balancer always listens on HTTP :80 (docs/ARCHITECTURE.md).</summary>
public sealed record FrontendSpec : ServiceSpec
{
    /// <summary>Set by the stack to <c>http://&lt;internal ALB DNS&gt;:&lt;listenerPort&gt;</c>; a spec may not define it.</summary>
    public const string BackendUrlVariable = "BACKEND_URL";
}

/// <summary>The private tier; its internal load balancer listens on <see cref="ListenerPort"/>.</summary>
public sealed record BackendSpec : ServiceSpec
{
    [JsonPropertyOrder(1)] // after the shared service fields (derived members would otherwise come first)
    public int ListenerPort { get; init; }
}

/// <summary>An ECR image: a repository name or full URI, and exactly one of tag or digest.</summary>
public sealed record ImageRef
{
    public string Repository { get; init; } = "";
    public string? Tag { get; init; }
    public string? Digest { get; init; }

    /// <summary>The parts of <see cref="Repository"/> when it is a full ECR URI; null for a bare name.</summary>
    [JsonIgnore]
    public EcrRepositoryUri? RepositoryUri => EcrRepositoryUri.TryParse(Repository);

    /// <summary>The repository's name within its registry, whether given by name or by URI.</summary>
    [JsonIgnore]
    public string RepositoryName => RepositoryUri?.RepositoryName ?? Repository;

    /// <summary>The digest when given, else the tag: what CDK's <c>ContainerImage.FromEcrRepository</c> takes.</summary>
    [JsonIgnore]
    public string TagOrDigest => Digest ?? Tag ?? "";
}

/// <summary>A Secrets Manager secret injected as an environment variable. Only the ARN is ever stored.</summary>
public sealed record SecretRef
{
    public string Name { get; init; } = "";
    public string SecretArn { get; init; } = "";
    public string? JsonKey { get; init; }
    public string? VersionStage { get; init; }
    public string? VersionId { get; init; }

    /// <summary>The ARN taken apart; null when <see cref="SecretArn"/> is not a valid secret ARN.</summary>
    [JsonIgnore]
    public SecretsManagerArn? Arn => SecretsManagerArn.TryParse(SecretArn);

    /// <summary>
    /// The container definition's <c>valueFrom</c>: the ARN alone, or
    /// <c>arn:…:secret:NAME:jsonKey:versionStage:versionId</c> with empty parts left empty
    /// (<c>arn:…:secret:NAME:apiKey::</c> for a JSON key alone), as ECS documents.
    /// </summary>
    [JsonIgnore]
    public string ValueFrom => JsonKey is null && VersionStage is null && VersionId is null
        ? SecretArn
        : $"{SecretArn}:{JsonKey}:{VersionStage}:{VersionId}";
}
