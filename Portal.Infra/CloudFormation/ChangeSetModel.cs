using Portal.Infra.Aws;

namespace Portal.Infra.CloudFormation;

/// <summary>Every response carries the id AWS support asks for (<see cref="AwsResponse.RequestId"/>).</summary>
public abstract record CloudFormationResponse : AwsResponse;

public enum ChangeSetType
{
    Create,
    Update,
}

public sealed record Tag
{
    public required string Key { get; init; }
    public required string Value { get; init; }
}

public sealed record CreateChangeSetRequest
{
    public required string StackName { get; init; }
    public required string ChangeSetName { get; init; }
    public required ChangeSetType ChangeSetType { get; init; }
    public required string TemplateBody { get; init; }
    /// <summary>E.g. <c>CAPABILITY_IAM</c>, <c>CAPABILITY_NAMED_IAM</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    /// <summary>The role CloudFormation itself assumes to change the stack (a target's CloudFormationRoleArn).</summary>
    public string? RoleARN { get; init; }
    public IReadOnlyList<Tag> Tags { get; init; } = [];
    /// <summary>Makes the call idempotent; without it the client does not retry the call.</summary>
    public string? ClientToken { get; init; }
    public string? Description { get; init; }
}

public sealed record CreateChangeSetResponse : CloudFormationResponse
{
    /// <summary>The change set's ARN.</summary>
    public required string Id { get; init; }
    public string? StackId { get; init; }
}

public sealed record DescribeChangeSetRequest
{
    /// <summary>The change set's name (then <see cref="StackName"/> is required) or its ARN.</summary>
    public required string ChangeSetName { get; init; }
    public string? StackName { get; init; }
}

public sealed record DescribeChangeSetResponse : CloudFormationResponse
{
    public string? ChangeSetId { get; init; }
    public string? ChangeSetName { get; init; }
    public string? StackId { get; init; }
    public string? StackName { get; init; }
    public string? Description { get; init; }
    /// <summary>CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, DELETE_*, FAILED.</summary>
    public string? Status { get; init; }
    public string? StatusReason { get; init; }
    /// <summary>UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE.</summary>
    public string? ExecutionStatus { get; init; }
    public DateTime? CreationTime { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<Tag> Tags { get; init; } = [];
    /// <summary>All changes, across every page.</summary>
    public IReadOnlyList<Change> Changes { get; init; } = [];

    /// <summary>
    /// CloudFormation refuses to create a change set that changes nothing: it ends FAILED with a reason
    /// saying so. That is "nothing to deploy", not an error.
    /// </summary>
    public bool HasNoChanges =>
        Status == "FAILED" && StatusReason is { } reason &&
        (reason.Contains("didn't contain changes", StringComparison.OrdinalIgnoreCase) ||
         reason.Contains("No updates are to be performed", StringComparison.OrdinalIgnoreCase));
}

public sealed record Change
{
    /// <summary>Always "Resource" for the changes the portal makes.</summary>
    public string? Type { get; init; }
    public ResourceChange? ResourceChange { get; init; }
}

public sealed record ResourceChange
{
    /// <summary>Add, Modify, Remove, Import, Dynamic.</summary>
    public required string Action { get; init; }
    public required string LogicalResourceId { get; init; }
    public string? PhysicalResourceId { get; init; }
    public required string ResourceType { get; init; }
    /// <summary>True, False or Conditional; only for Modify.</summary>
    public string? Replacement { get; init; }
    /// <summary>Properties, Metadata, CreationPolicy, UpdatePolicy, DeletionPolicy, UpdateReplacePolicy, Tags.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];
    public IReadOnlyList<ResourceChangeDetail> Details { get; init; } = [];
}

public sealed record ResourceChangeDetail
{
    public ResourceTargetDefinition? Target { get; init; }
    /// <summary>Static or Dynamic.</summary>
    public string? Evaluation { get; init; }
    /// <summary>ResourceReference, ParameterReference, ResourceAttribute, DirectModification, Automatic.</summary>
    public string? ChangeSource { get; init; }
    public string? CausingEntity { get; init; }
}

public sealed record ResourceTargetDefinition
{
    /// <summary>Properties, Metadata, Tags, …</summary>
    public string? Attribute { get; init; }
    /// <summary>The property's name when <see cref="Attribute"/> is Properties.</summary>
    public string? Name { get; init; }
    /// <summary>Never, Conditionally, Always.</summary>
    public string? RequiresRecreation { get; init; }
}

public sealed record ExecuteChangeSetRequest
{
    public required string ChangeSetName { get; init; }
    public string? StackName { get; init; }
    /// <summary>Makes the call idempotent and tags every event of the execution; without it the client does not retry.</summary>
    public string? ClientRequestToken { get; init; }
}

public sealed record ExecuteChangeSetResponse : CloudFormationResponse;

public sealed record DeleteChangeSetRequest
{
    public required string ChangeSetName { get; init; }
    public string? StackName { get; init; }
}

public sealed record DeleteChangeSetResponse : CloudFormationResponse;
