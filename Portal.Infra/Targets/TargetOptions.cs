namespace Portal.Infra.Targets;

public enum TargetKind
{
    /// <summary>The built-in sandbox (CloudFormation and the services diagnosis reads): no AWS account, simulated resources.</summary>
    Sandbox,

    /// <summary>Real CloudFormation (or an emulator at <see cref="Target.ServiceUrl"/>).</summary>
    Aws,
}

/// <summary>Where environments get deployed: one entry of configuration section <c>Targets</c>.</summary>
public sealed class Target
{
    /// <summary>The region a Sandbox target signs for when it names none.</summary>
    public const string DefaultSandboxRegion = "us-east-1";

    public TargetKind? Kind { get; set; }

    /// <summary>Required for Aws targets; Sandbox targets default to <see cref="DefaultSandboxRegion"/>.</summary>
    public string? Region { get; set; }

    /// <summary>An IAM role the portal assumes (STS) before calling CloudFormation; Aws targets only.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The role CloudFormation itself assumes to change stacks (RoleARN of CreateChangeSet/DeleteStack).</summary>
    public string? CloudFormationRoleArn { get; set; }

    /// <summary>
    /// The CloudFormation endpoint instead of the regional one (LocalStack and other emulators). For a Sandbox
    /// target it is normally left empty and taken from <see cref="ISandboxAddress"/> at run time.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>
    /// The endpoints of the diagnosis services by signing name (<c>ecs</c>, <c>elasticloadbalancing</c>, <c>logs</c>) where
    /// they are not the default: the regional endpoint for an Aws target (or its <see cref="ServiceUrl"/>, since emulators
    /// answer every service at one address), the path beside <see cref="ServiceUrl"/> for a Sandbox target.
    /// </summary>
    public Dictionary<string, string> ServiceUrls { get; set; } = [];

    /// <summary>
    /// CloudFormation calls per second the portal allows itself on this target, all its calls and (on PostgreSQL) all its
    /// processes together; <see cref="CallBurst"/> more may go at once after a quiet spell. CloudFormation's read budget
    /// is per account and region and shared with every other tool there (about 5 per second, not raisable), so the default,
    /// <see cref="DefaultCallsPerSecond"/>, leaves more than half of it to them. Unset on a Sandbox target: the host that
    /// runs the built-in sandbox sets it in the sandbox's time; a sandbox elsewhere has no limit unless one is set here.
    /// </summary>
    public double? CallsPerSecond { get; set; }

    /// <summary>Calls that may go at once after a quiet spell (the bucket's size); actions may borrow as many again.</summary>
    public int CallBurst { get; set; } = DefaultCallBurst;

    public const double DefaultCallsPerSecond = 2;
    public const int DefaultCallBurst = 5;

    /// <summary>The bucket the portal's calls to this target wait at; null: no limit.</summary>
    public Budgets.CallRate? CallRate =>
        (CallsPerSecond ?? (Kind == TargetKind.Aws ? DefaultCallsPerSecond : null)) is { } perSecond ? new(perSecond, CallBurst) : null;

    /// <summary>
    /// The SQS queue the target's intake stack fills with CloudFormation's stack events (<c>portal setup-target</c> prints
    /// it): the portal reads events from it as they happen and polls CloudFormation only to reconcile. Unset: the portal
    /// polls alone, within <see cref="CallsPerSecond"/>, and pages say events may lag.
    /// </summary>
    public string? StackEventQueueUrl { get; set; }

    /// <summary>Approvals a revision needs before it deploys to this target.</summary>
    public int RequiredApprovals { get; set; } = 1;

    /// <summary>How far ahead an environment on this target may expire, and whether its policy approves expiry destroys.</summary>
    public TargetExpiry Expiry { get; set; } = new();

    /// <summary>
    /// Slack-compatible webhook URLs told when a revision awaits approval, deploys, fails or an environment expires.
    /// They are secrets (the URL is the credential): never logged or shown, only their host.
    /// </summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>Resources on this target are simulated; the UI says so.</summary>
    public bool IsSimulated => Kind == TargetKind.Sandbox;

    public string SigningRegion => string.IsNullOrWhiteSpace(Region) ? DefaultSandboxRegion : Region;

    /// <summary>The <see cref="ServiceUrls"/> entry of <paramref name="service"/>; keys match case-insensitively, as configuration keys do.</summary>
    internal Uri? ServiceUrlOf(string service) =>
        ServiceUrls.FirstOrDefault(entry => string.Equals(entry.Key, service, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } url
            ? new Uri(url)
            : null;
}

/// <summary>Section <c>Targets:&lt;name&gt;:Expiry</c>.</summary>
public sealed class TargetExpiry
{
    public const int DefaultMaxDays = 30;

    /// <summary>The latest expiry date allowed, in days from the moment it is set (or extended).</summary>
    public int MaxDays { get; set; } = DefaultMaxDays;

    /// <summary>The target's policy approves the destroy that expiry requests; otherwise it waits for approvers.</summary>
    public bool AutoApprove { get; set; }
}

/// <summary>
/// Configuration section <c>Targets</c>: target name → <see cref="Target"/>. Names match case-insensitively,
/// as configuration keys do. Environment variables override entries as usual (<c>Targets__dev__Kind=Aws</c>).
/// </summary>
public sealed class TargetOptions : Dictionary<string, Target>
{
    public const string Section = "Targets";

    public TargetOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>The named target, or an error listing the configured ones.</summary>
    public Target Get(string targetName) =>
        TryGetValue(targetName, out var target)
            ? target
            : throw new ArgumentException(
                $"Unknown target '{targetName}'. Configured targets: {(Count == 0 ? "none" : string.Join(", ", Keys.Order()))} (section {Section}).",
                nameof(targetName));
}
