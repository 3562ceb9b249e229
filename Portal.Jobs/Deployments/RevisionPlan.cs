using System.Text.Json;
using Portal.Infra.Deployments;
using Portal.Infra.Guardrails;

namespace Portal.Jobs.Deployments;

/// <summary>
/// What reviewers see before approving (stored as the revision's PlanJson): the change set's changes, the
/// guardrail's verdict, the template's size and resources, and anything the plan had to do on the way.
/// </summary>
public sealed record RevisionPlan
{
    /// <summary>CREATE, UPDATE or DELETE (a destroy deletes the stack without a change set).</summary>
    public required string Operation { get; init; }
    /// <summary>The stack it acts on (null while none exists): a destroy resumed after a crash finds it by id once it is gone by name.</summary>
    public string? StackId { get; init; }
    public string? ChangeSetId { get; init; }
    public string? ChangeSetName { get; init; }
    public bool NoChanges { get; init; }
    public IReadOnlyList<PlannedChange> Changes { get; init; } = [];
    public GuardrailResult? Guardrail { get; init; }
    public IReadOnlyDictionary<string, int> ResourceCounts { get; init; } = new Dictionary<string, int>();
    public int TemplateBytes { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The environment's stack was deleted outside the portal and this plan creates it again.</summary>
    public bool StackDeletedOutsideThePortal { get; init; }
    /// <summary>
    /// Every template resource's logical id and the resources it waits for: the deploy ETA's dependency waves.
    /// Empty for plans made before it was stored (the ETA then treats the changes as running all at once).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RevisionPlan? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<RevisionPlan>(json, Json);
}
