using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

/// <summary>What to plan: a template for a stack, with the change set's name and idempotency token.</summary>
public sealed record PlanRequest
{
    public required string StackName { get; init; }
    public required string TemplateBody { get; init; }
    /// <summary>Unique per plan of a stack; a retry of the same plan reuses it with the same <see cref="ClientToken"/>.</summary>
    public required string ChangeSetName { get; init; }
    public required string ClientToken { get; init; }
    public IReadOnlyList<Tag> Tags { get; init; } = [];
    /// <summary>The role CloudFormation assumes (the target's CloudFormationRoleArn).</summary>
    public string? RoleArn { get; init; }
    public string? Description { get; init; }
    /// <summary>The portal deployed this stack and never destroyed it: when the plan finds no stack, someone deleted it
    /// outside the portal, and the plan says so.</summary>
    public bool StackExpected { get; init; }
}

/// <summary>One resource the change set touches, as reviewers see it.</summary>
public sealed record PlannedChange(
    string Action, string LogicalResourceId, string ResourceType, string? Replacement,
    IReadOnlyList<string> ReplacementCauses)
{
    public static PlannedChange From(ResourceChange change) => new(
        change.Action, change.LogicalResourceId, change.ResourceType, change.Replacement,
        [.. change.Details
            .Where(d => d.Target?.RequiresRecreation is "Always" or "Conditionally" && d.Target.Name is not null)
            .Select(d => d.Target!.Name!).Distinct()]);
}

/// <summary>A change set ready to execute (or empty: nothing to do).</summary>
public sealed record ChangeSetPlan
{
    public required string ChangeSetId { get; init; }
    public required string StackId { get; init; }
    public required ChangeSetType ChangeSetType { get; init; }
    /// <summary>When CloudFormation created it, by its clock.</summary>
    public required DateTime CreationTime { get; init; }
    /// <summary>The <see cref="WatchRequest.Since"/> of its execute (see <see cref="ChangeSets.WatchStart"/>).</summary>
    public DateTime WatchSince => ChangeSets.WatchStart(ChangeSetType, CreationTime);
    public bool HasNoChanges { get; init; }
    public IReadOnlyList<PlannedChange> Changes { get; init; } = [];
    /// <summary>What the plan had to do on the way, e.g. delete a stack left in ROLLBACK_COMPLETE.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The stack the portal deployed was gone: this CREATE makes it again (<see cref="PlanRequest.StackExpected"/>).</summary>
    public bool StackDeletedOutsideThePortal { get; init; }
}
