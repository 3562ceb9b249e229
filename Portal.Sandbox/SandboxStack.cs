namespace Portal.Sandbox;

internal sealed record StackTag(string Key, string Value);

internal sealed record StackOutput(string Key, string Value, string? Description, string? ExportName);

/// <summary>One entry of DescribeStackEvents; <see cref="Sequence"/> orders a stack's events.</summary>
internal sealed record SandboxStackEvent(
    int Sequence, string EventId, string StackId, string StackName, string LogicalResourceId, string PhysicalResourceId,
    string ResourceType, DateTimeOffset Timestamp, string ResourceStatus, string? ResourceStatusReason, string? ClientRequestToken);

/// <summary>What a change set would make of a stack, and what a stack currently is.</summary>
internal sealed record StackConfiguration(
    StackBlueprint? Blueprint, IReadOnlyList<StackOutput> Outputs, IReadOnlyList<StackTag> Tags,
    IReadOnlyList<string> Capabilities, string? RoleArn)
{
    public static readonly StackConfiguration Empty = new(null, [], [], [], null);
}

/// <summary>A simulated stack. Mutated only under the simulator's lock.</summary>
internal sealed class SandboxStack(StackIdentity identity, DateTimeOffset creationTime)
{
    public const string ResourceType = "AWS::CloudFormation::Stack";

    public StackIdentity Identity { get; } = identity;
    public string Name => Identity.Name;
    public string Id => Identity.Id;
    public DateTimeOffset CreationTime { get; } = creationTime;
    public DateTimeOffset? LastUpdatedTime { get; set; }
    public DateTimeOffset? DeletionTime { get; set; }
    public string Status { get; set; } = "REVIEW_IN_PROGRESS";
    public string? StatusReason { get; set; }
    public string? ChangeSetId { get; set; }
    public StackConfiguration Configuration { get; set; } = StackConfiguration.Empty;

    /// <summary>The physical resources that exist now, by logical id.</summary>
    public Dictionary<string, DeployedResource> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>The newest events (at most <see cref="SandboxOptions.MaxEventsPerStack"/>), oldest first.</summary>
    public List<SandboxStackEvent> Events { get; } = [];

    /// <summary>The next event's <see cref="SandboxStackEvent.Sequence"/>: events dropped from the front keep theirs.</summary>
    public int NextEventSequence { get; set; }

    public DateTimeOffset LastEventTime { get; set; }
    public Dictionary<string, SandboxChangeSet> ChangeSets { get; } = new(StringComparer.Ordinal);

    /// <summary>ExecuteChangeSet ClientRequestTokens seen, with the change set each executed.</summary>
    public RecentTokens ExecuteTokens { get; } = new();

    /// <summary>DeleteStack ClientRequestTokens seen.</summary>
    public RecentTokens DeleteTokens { get; } = new();

    /// <summary>Changes made outside CloudFormation, by logical id (what drift detection finds).</summary>
    public Dictionary<string, OutOfBandChange> OutOfBand { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources something outside CloudFormation depends on (see <see cref="SandboxCloudFormation.AddDependentObject"/>).</summary>
    public HashSet<string> DependedOn { get; } = new(StringComparer.Ordinal);

    /// <summary>DetectStackDrift operations, oldest first (the newest <see cref="SandboxOptions.MaxDriftDetectionsPerStack"/>).</summary>
    public List<SandboxDriftDetection> DriftDetections { get; } = [];

    /// <summary>Its ECS services as ECS tells of them (see <see cref="SimulatedService"/>), deleted ones kept a while.</summary>
    public List<SimulatedService> Services { get; } = [];

    /// <summary>The create, update or delete running now, if any.</summary>
    public StackOperation? Operation { get; set; }
}

/// <summary>A change set: its plan is fixed when created; its status advances with (scaled) time.</summary>
internal sealed class SandboxChangeSet
{
    public const string NoChangesReason =
        "The submitted information didn't contain changes. Submit different information to create a change set.";

    // Seconds at TimeScale 1.0 that CloudFormation spends before and while computing a change set.
    private static readonly TimeSpan PendingFor = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan ComputedAfter = TimeSpan.FromSeconds(2.5);

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required SandboxStack Stack { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public required StackConfiguration Configuration { get; init; }
    public required IReadOnlyList<ResourceChange> Changes { get; init; }
    public required bool ChangesNothing { get; init; }
    public string? Description { get; init; }
    public string? ClientToken { get; init; }

    /// <summary>Set once executed or made obsolete by another execution.</summary>
    public string? Execution { get; set; }

    public StackBlueprint Blueprint => Configuration.Blueprint!;

    public (string Status, string ExecutionStatus, string? StatusReason) StateAt(DateTimeOffset now, double timeScale)
    {
        var elapsed = now - CreationTime;
        if (elapsed < PendingFor * timeScale)
            return ("CREATE_PENDING", "UNAVAILABLE", null);
        if (elapsed < ComputedAfter * timeScale)
            return ("CREATE_IN_PROGRESS", "UNAVAILABLE", null);
        if (ChangesNothing)
            return ("FAILED", "UNAVAILABLE", NoChangesReason);
        return ("CREATE_COMPLETE", Execution ?? "AVAILABLE", null);
    }
}

/// <summary>
/// Idempotency tokens, each with what its call did. Only the newest are kept: a retry follows its call closely, and a
/// stack lives through any number of calls.
/// </summary>
internal sealed class RecentTokens
{
    private const int Capacity = 100;

    private readonly Dictionary<string, string> _outcomes = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool TryGetValue(string token, out string outcome) => _outcomes.TryGetValue(token, out outcome!);

    /// <summary>The tokens kept, oldest first, with their outcomes.</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries => _order.Select(token => KeyValuePair.Create(token, _outcomes[token]));

    public void Add(string token, string outcome)
    {
        if (!_outcomes.TryAdd(token, outcome))
            return;
        _order.Enqueue(token);
        if (_order.Count > Capacity)
            _outcomes.Remove(_order.Dequeue());
    }
}
