using System.Buffers;
using System.Text.RegularExpressions;

namespace Portal.Infra.Environments;

/// <summary>A problem with one field of a spec, e.g. <c>backend.listenerPort</c>.</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Every rule of docs/SPEC.md for a spec, all checked at once; each problem names its field path.
/// </summary>
/// <remarks>
/// Decisions that are not obvious from the rules:
/// <list type="bullet">
/// <item>Ports may coincide: the frontend and backend containers and the internal listener live on different
/// network interfaces (awsvpc) and load balancers, so e.g. 8080 everywhere is fine.</item>
/// <item>Secrets and ECR repositories in another region or account than the target are accepted: ECS resolves a
/// full secret ARN and pulls an ECR URI across regions; access is a matter of IAM and resource policies, which the
/// deploy surfaces.</item>
/// <item>Whether the target exists is known only to the caller (configuration), hence <c>knownTargets</c>.</item>
/// <item>Every string is checked for <see cref="TemplateSyntax"/> before its own grammar, free text included: the
/// template gets text only as typed, never a reference CloudFormation or CDK would resolve in its place.</item>
/// </list>
/// </remarks>
public static partial class EnvironmentSpecValidator
{
    /// <summary>
    /// Variables ECS sets inside every task (credentials endpoint, metadata endpoints); overriding them breaks the task.
    /// </summary>
    public static readonly IReadOnlySet<string> SetByEcs = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4", "ECS_AGENT_URI",
    };

    /// <summary>The path of a variable of the environment at <paramref name="environmentPath"/>: <c>frontend.environment.LOG_LEVEL</c>, or <c>…["a b"]</c> for odd names.</summary>
    public static string VariablePath(string environmentPath, string name) => SpecText.Member(environmentPath, name);

    /// <summary>All problems with <paramref name="spec"/>, in field order; empty when it is valid.</summary>
    /// <param name="knownTargets">The configured target names; when given, the target must be one of them.</param>
    public static IReadOnlyList<SpecError> Validate(EnvironmentSpec spec, IReadOnlyCollection<string>? knownTargets = null)
    {
        var errors = new SpecErrorList();
        Collect(spec, knownTargets, errors);
        return errors.ToList();
    }

    /// <summary>Adds the problems to <paramref name="errors"/> (the JSON reader merges them with its own).</summary>
    internal static void Collect(EnvironmentSpec spec, IReadOnlyCollection<string>? knownTargets, SpecErrorList errors)
    {
        CheckName(spec.Name, errors);
        CheckTarget(spec.Target, knownTargets, errors);
        CheckService(spec.Frontend, "frontend", errors);
        CheckService(spec.Backend, "backend", errors);
        if (spec.Backend is { } backend)
        {
            CheckPort(backend.ListenerPort, "backend.listenerPort", errors);
        }
    }

    private static void CheckName(string? name, SpecErrorList errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("name", "A name is required: lowercase letters, digits and hyphens, starting with a letter, such as \"orders-dev\"."));
            return;
        }
        if (!CheckLiteral(name, "name", errors))
        {
            return;
        }
        if (!NamePattern().IsMatch(name))
        {
            errors.Add(new("name", $"{SpecText.Quote(name)} is not a valid name: use lowercase letters, digits and single hyphens, " +
                                   "start with a letter and do not end with a hyphen (e.g. \"orders-dev\")."));
        }
        if (name.Length > SpecLimits.MaxNameLength)
        {
            errors.Add(new("name", $"The name is {name.Length:N0} characters long; at most {SpecLimits.MaxNameLength} are allowed, " +
                                   "because stack and load balancer names are built from it."));
        }
    }

    private static void CheckTarget(string? target, IReadOnlyCollection<string>? knownTargets, SpecErrorList errors)
    {
        var known = knownTargets is null ? "" : knownTargets.Count == 0 ? " No targets are configured." : $" Known: {string.Join(", ", knownTargets)}.";
        if (string.IsNullOrEmpty(target))
        {
            errors.Add(new("target", $"A target is required: the name of a deploy target such as \"sandbox\".{known}"));
            return;
        }
        if (!CheckLiteral(target, "target", errors))
        {
            return;
        }
        if (target.Length > SpecLimits.MaxTargetLength)
        {
            errors.Add(new("target", $"The target is {target.Length:N0} characters long; target names are at most {SpecLimits.MaxTargetLength}.{known}"));
        }
        else if (knownTargets is not null && !knownTargets.Contains(target, StringComparer.Ordinal))
        {
            errors.Add(new("target", $"Unknown target {SpecText.Quote(target)}.{known}"));
        }
    }

    private static void CheckService(ServiceSpec? service, string path, SpecErrorList errors)
    {
        if (service is null)
        {
            errors.Add(new(path, $"The {path} service is required."));
            return;
        }
        CheckImage(service.Image, $"{path}.image", errors);
        CheckPort(service.ContainerPort, $"{path}.containerPort", errors);
        CheckSize(service.Cpu, service.MemoryMiB, path, errors);
        if (service.DesiredCount is < 0 or > SpecLimits.MaxDesiredCount)
        {
            errors.Add(new($"{path}.desiredCount", $"{service.DesiredCount} tasks is outside the accepted range: give 0 to " +
                                                   $"{SpecLimits.MaxDesiredCount} (0 stops the service; {SpecLimits.MaxDesiredCount} is the cap for a portal environment)."));
        }
        CheckHealthCheckPath(service.HealthCheckPath, $"{path}.healthCheckPath", errors);
        var environment = service.Environment ?? new Dictionary<string, string>();
        CheckEnvironment(environment, service is FrontendSpec, $"{path}.environment", errors);
        CheckSecrets(service.Secrets ?? [], environment, service is FrontendSpec, path, errors);
    }

    private static void CheckImage(ImageRef? image, string path, SpecErrorList errors)
    {
        if (image is null)
        {
            errors.Add(new(path, "An image is required: a repository and a tag or digest."));
            return;
        }
        CheckRepository(image.Repository, $"{path}.repository", errors);

        if (image.Tag is null && image.Digest is null)
        {
            errors.Add(new(path, "Give the image's tag (such as \"1.4.2\") or its digest (\"sha256:\" and 64 hex digits)."));
        }
        else if (image.Tag is not null && image.Digest is not null)
        {
            errors.Add(new(path, "Give either a tag or a digest, not both: a digest already pins the exact image."));
        }
        if (image.Tag is { } tag && CheckLiteral(tag, $"{path}.tag", errors) && !TagPattern().IsMatch(tag))
        {
            errors.Add(new($"{path}.tag", tag.Length == 0
                ? "The tag is empty; give a tag such as \"1.4.2\", or leave it out and give a digest."
                : $"{SpecText.Quote(tag)} is not a valid image tag: a tag is 1 to 128 letters, digits, '_', '.' and '-', " +
                  "and does not start with '.' or '-'."));
        }
        if (image.Digest is { } digest && CheckLiteral(digest, $"{path}.digest", errors) && !DigestPattern().IsMatch(digest))
        {
            errors.Add(new($"{path}.digest", DigestPattern().IsMatch(digest.ToLowerInvariant())
                ? $"{SpecText.Quote(digest)} uses uppercase hex digits; write the digest in lowercase."
                : $"{SpecText.Quote(digest)} is not an image digest: give \"sha256:\" followed by 64 lowercase hex digits."));
        }
    }

    private static void CheckRepository(string? repository, string path, SpecErrorList errors)
    {
        if (string.IsNullOrEmpty(repository))
        {
            errors.Add(new(path, "A repository is required: an ECR repository name such as \"frontend\", " +
                                 "or a URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>."));
        }
        else if (CheckLiteral(repository, path, errors))
        {
            var problem = EcrRepositoryUri.NamesRegistry(repository)
                ? EcrRepositoryUri.Read(repository).Problem is { } uri ? $"Not a valid ECR repository URI: {uri}." : null
                : EcrRepositoryUri.CheckName(repository) is { } name ? $"{SpecText.Quote(repository)} is not a valid ECR repository name: {name}." : null;
            if (problem is not null)
            {
                errors.Add(new(path, problem));
            }
        }
    }

    private static void CheckPort(int port, string path, SpecErrorList errors)
    {
        if (port is < SpecLimits.MinPort or > SpecLimits.MaxPort)
        {
            errors.Add(new(path, $"{port} is not a valid port: give a whole number from {SpecLimits.MinPort} to {SpecLimits.MaxPort}."));
        }
    }

    private static void CheckSize(int cpu, int memoryMiB, string path, SpecErrorList errors)
    {
        if (!FargateSizes.CpuValues.Contains(cpu))
        {
            errors.Add(new($"{path}.cpu", $"{cpu} is not a Fargate CPU size: choose " +
                                          $"{SpecText.List(FargateSizes.CpuValues.Select(c => c.ToString()), "or")} (1024 = 1 vCPU)."));
        }
        else if (!FargateSizes.IsValid(cpu, memoryMiB))
        {
            errors.Add(new($"{path}.memoryMiB", $"{memoryMiB} MiB is not available with cpu {cpu} on Fargate: choose " +
                                                $"{FargateSizes.DescribeMemoryFor(cpu)} MiB."));
        }
    }

    private static void CheckHealthCheckPath(string? value, string path, SpecErrorList errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(path, "A health check path is required, such as \"/health\"."));
            return;
        }
        if (!CheckLiteral(value, path, errors))
        {
            return;
        }
        if (value.Length > SpecLimits.MaxHealthCheckPathLength)
        {
            errors.Add(new(path, $"The path is {value.Length:N0} characters long; a load balancer health check path is at most " +
                                 $"{SpecLimits.MaxHealthCheckPathLength:N0}."));
            return;
        }
        var bad = value.AsSpan().IndexOfAnyExcept(UrlPathCharacters);
        if (!value.StartsWith('/'))
        {
            errors.Add(new(path, $"{SpecText.Quote(value)} does not start with '/': give a path such as \"/health\"."));
        }
        else if (bad >= 0)
        {
            errors.Add(new(path, $"{SpecText.Quote(value)} contains {SpecText.DescribeChar(value[bad])}; a health check path uses " +
                                 "letters, digits and the URL characters -._~:/?#[]@!$&'()*+,;=% (percent-encode anything else)."));
        }
    }

    private static void CheckEnvironment(IReadOnlyDictionary<string, string> environment, bool isFrontend, string path, SpecErrorList errors)
    {
        if (environment.Count > SpecLimits.MaxEnvironmentVariables)
        {
            errors.Add(new(path, $"{environment.Count:N0} variables are too many: at most {SpecLimits.MaxEnvironmentVariables} per service."));
            return;
        }
        var valuesFit = true;
        foreach (var (name, value) in environment)
        {
            var variablePath = SpecText.Member(path, name);
            CheckVariableName(name, isFrontend, variablePath, errors);
            if (value is null)
            {
                errors.Add(new(variablePath, "The value is missing; give a string (it may be empty)."));
            }
            else if (value.Length > SpecLimits.MaxEnvironmentValueLength)
            {
                valuesFit = false;
                errors.Add(new(variablePath, $"The value is {value.Length:N0} characters long; at most {SpecLimits.MaxEnvironmentValueLength:N0} " +
                                             "are allowed (put large configuration in a file or a secret)."));
            }
            else if (value.Contains('\0'))
            {
                errors.Add(new(variablePath, "The value contains a NUL character, which an environment variable cannot hold."));
            }
            else
            {
                CheckLiteral(value, variablePath, errors);
            }
        }
        var total = environment.Sum(e => e.Key.Length + (e.Value?.Length ?? 0));
        if (valuesFit && total > SpecLimits.MaxEnvironmentTotalLength)
        {
            errors.Add(new(path, $"Names and values together are {total:N0} characters; at most {SpecLimits.MaxEnvironmentTotalLength:N0} " +
                                 "per service fit in the deployment template."));
        }
    }

    private static void CheckSecrets(IReadOnlyList<SecretRef> secrets, IReadOnlyDictionary<string, string> environment, bool isFrontend,
        string servicePath, SpecErrorList errors)
    {
        var path = $"{servicePath}.secrets";
        if (secrets.Count > SpecLimits.MaxSecrets)
        {
            errors.Add(new(path, $"{secrets.Count:N0} secrets are too many: at most {SpecLimits.MaxSecrets} per service."));
            return;
        }
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < secrets.Count; i++)
        {
            var secretPath = SpecText.Item(path, i);
            if (secrets[i] is not { } secret)
            {
                errors.Add(new(secretPath, "The entry is empty; give a name and a secretArn."));
                continue;
            }
            if (string.IsNullOrEmpty(secret.Name))
            {
                errors.Add(new($"{secretPath}.name", "A name is required: the environment variable that receives the secret, such as API_KEY."));
            }
            else
            {
                CheckVariableName(secret.Name, isFrontend, $"{secretPath}.name", errors);
                if (firstByName.TryGetValue(secret.Name, out var first))
                {
                    errors.Add(new($"{secretPath}.name", $"{SpecText.Quote(secret.Name)} is already used by {SpecText.Item(path, first)}; " +
                                                         "each secret needs its own variable name."));
                }
                else
                {
                    firstByName[secret.Name] = i;
                }
                if (environment.ContainsKey(secret.Name))
                {
                    errors.Add(new($"{secretPath}.name", $"{SpecText.Quote(secret.Name)} is also set in {servicePath}.environment; " +
                                                         "a variable comes from the environment or from a secret, not both."));
                }
            }
            CheckSecretArn(secret.SecretArn, $"{secretPath}.secretArn", errors);
            CheckValueFromPart(secret.JsonKey, "JSON key", 1, SpecLimits.MaxJsonKeyLength, $"{secretPath}.jsonKey", errors);
            CheckValueFromPart(secret.VersionStage, "version stage", 1, SpecLimits.MaxVersionStageLength, $"{secretPath}.versionStage", errors);
            CheckValueFromPart(secret.VersionId, "version id", SpecLimits.MinVersionIdLength, SpecLimits.MaxVersionIdLength,
                $"{secretPath}.versionId", errors);
            if (secret.VersionStage is not null && secret.VersionId is not null)
            {
                errors.Add(new(secretPath, "Give versionStage or versionId, not both: each selects one version of the secret."));
            }
        }
    }

    private static void CheckSecretArn(string? arn, string path, SpecErrorList errors)
    {
        if (string.IsNullOrEmpty(arn))
        {
            errors.Add(new(path, "A secret ARN is required, such as arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf."));
        }
        else if (CheckLiteral(arn, path, errors) && SecretsManagerArn.Read(arn).Problem is { } problem)
        {
            errors.Add(new(path, $"Not a usable Secrets Manager secret ARN: {problem}."));
        }
    }

    /// <summary>jsonKey, versionStage and versionId become ':'-separated parts of ECS's valueFrom.</summary>
    private static void CheckValueFromPart(string? value, string what, int minLength, int maxLength, string path, SpecErrorList errors)
    {
        if (value is null || !CheckLiteral(value, path, errors))
        {
            return;
        }
        var bad = value.AsSpan().IndexOfAny(ValueFromSeparatorOrControl);
        if (value.Length < minLength || value.Length > maxLength)
        {
            errors.Add(new(path, value.Length == 0
                ? $"The {what} is empty; give one or leave the field out."
                : $"The {what} is {value.Length:N0} characters long; give {minLength} to {maxLength}."));
        }
        else if (bad >= 0)
        {
            errors.Add(new(path, $"The {what} {SpecText.Quote(value)} contains {SpecText.DescribeChar(value[bad])}, which cannot be part " +
                                 "of a secret reference (':' separates its parts)."));
        }
    }

    private static void CheckVariableName(string name, bool isFrontend, string path, SpecErrorList errors)
    {
        if (!CheckLiteral(name, path, errors))
        {
            return;
        }
        if (name.Length == 0)
        {
            errors.Add(new(path, "A variable name must not be empty."));
        }
        else if (name.Length > SpecLimits.MaxVariableNameLength)
        {
            errors.Add(new(path, $"The variable name is {name.Length:N0} characters long; at most {SpecLimits.MaxVariableNameLength} are allowed."));
        }
        else if (!VariableNamePattern().IsMatch(name))
        {
            errors.Add(new(path, $"{SpecText.Quote(name)} is not a valid variable name: use letters, digits and '_', " +
                                 "not starting with a digit (e.g. LOG_LEVEL)."));
        }
        else if (isFrontend && name == FrontendSpec.BackendUrlVariable)
        {
            errors.Add(new(path, $"{FrontendSpec.BackendUrlVariable} is set by the portal to the backend's internal address; choose another name."));
        }
        else if (SetByEcs.Contains(name))
        {
            errors.Add(new(path, $"{name} is set by ECS inside every task; choose another name."));
        }
    }

    /// <summary>Refuses <paramref name="value"/> when it holds <see cref="TemplateSyntax"/>; true when it is a literal.</summary>
    private static bool CheckLiteral(string value, string path, SpecErrorList errors)
    {
        if (TemplateSyntax.Describe(value) is not { } what)
        {
            return true;
        }
        errors.Add(new(path, $"{SpecText.Quote(value)} holds {what}. The portal passes text to CloudFormation only as typed: remove it."));
        return false;
    }

    /// <summary>Lowercase, digits, single hyphens, starting with a letter, not ending with a hyphen.</summary>
    [GeneratedRegex("^[a-z](?:-?[a-z0-9])*$")]
    private static partial Regex NamePattern();

    /// <summary>The Docker/OCI tag grammar, which ECR enforces.</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableNamePattern();

    /// <summary>What an ALB health check path may contain: unreserved and reserved URL characters, and '%'.</summary>
    private static readonly SearchValues<char> UrlPathCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%");

    private static readonly SearchValues<char> ValueFromSeparatorOrControl =
        SearchValues.Create(":" + new string([.. Enumerable.Range(0, 32).Select(i => (char)i), (char)127]));
}
