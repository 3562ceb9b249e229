namespace Portal.Infra.Environments;

/// <summary>
/// The bounds a spec must stay within. Public so that forms can show them as hints.
/// </summary>
/// <remarks>
/// The binding constraint on sizes is not ECS (a task definition may be 64 KiB) but CloudFormation: the portal
/// sends the template inline, and an inline <c>TemplateBody</c> is capped at 51,200 bytes. The fixed part of the
/// two-tier stack (VPC, load balancers, security groups, cluster, roles) takes roughly half of that; every
/// environment variable lands in the template once and every secret twice (its <c>valueFrom</c> and the execution
/// role's policy). The caps below keep a spec well inside the remaining budget; synthesis still measures the
/// final template and says so if a spec is too large anyway.
/// </remarks>
public static class SpecLimits
{
    /// <summary>Stack, cluster and load balancer names derive from it; ALB names allow 32 characters.</summary>
    public const int MaxNameLength = 28;

    public const int MaxTargetLength = 64;

    public const int MinPort = 1;
    public const int MaxPort = 65535;

    /// <summary>
    /// A cap against runaway cost: this portal creates sandbox and development environments, where 20 tasks per
    /// tier is already generous; production-scale fleets belong in a reviewed pipeline.
    /// </summary>
    public const int MaxDesiredCount = 20;

    /// <summary>ALB health check paths: 1 to 1024 characters.</summary>
    public const int MaxHealthCheckPathLength = 1024;

    public const int MaxEnvironmentVariables = 50;
    public const int MaxSecrets = 25;

    /// <summary>Linux imposes no limit on variable names; 255 keeps templates and messages sane.</summary>
    public const int MaxVariableNameLength = 255;

    public const int MaxEnvironmentValueLength = 4096;

    /// <summary>Names plus values of one service's environment, in characters (see the template budget above).</summary>
    public const int MaxEnvironmentTotalLength = 8192;

    /// <summary>ECR repository names: 2 to 256 characters.</summary>
    public const int MinRepositoryNameLength = 2;
    public const int MaxRepositoryNameLength = 256;

    /// <summary>Secrets Manager names are at most 512 characters, plus the "-XXXXXX" suffix AWS appends.</summary>
    public const int MaxSecretNameLength = 512 + 7;

    /// <summary>ECS reads a JSON key from a secret's top level; no documented bound, 256 keeps it sane.</summary>
    public const int MaxJsonKeyLength = 256;

    /// <summary>Secrets Manager staging labels: 1 to 256 characters.</summary>
    public const int MaxVersionStageLength = 256;

    /// <summary>Secrets Manager version ids: 32 to 64 characters (usually a UUID).</summary>
    public const int MinVersionIdLength = 32;
    public const int MaxVersionIdLength = 64;

    /// <summary>
    /// A real spec is a few KB. The cap is far above that so that an oversized field still gets an error naming
    /// the field, yet bounded so that a runaway upload cannot tie up memory.
    /// </summary>
    public const int MaxDocumentLength = 4 * 1024 * 1024;

    /// <summary>A spec's JSON is four levels deep; anything much deeper is not a spec.</summary>
    public const int MaxDocumentDepth = 16;

    /// <summary>Beyond this many errors the rest are summarized in one line: nobody reads a thousand.</summary>
    public const int MaxErrors = 50;
}
