namespace Portal.Infra.CloudFormation;

public sealed record DescribeStacksRequest
{
    /// <summary>The stack's name, or its id (ARN), which also finds deleted stacks.</summary>
    public required string StackName { get; init; }
}

public sealed record DescribeStacksResponse : CloudFormationResponse
{
    public IReadOnlyList<Stack> Stacks { get; init; } = [];
}

public sealed record Stack
{
    public required string StackId { get; init; }
    public required string StackName { get; init; }
    public string? Description { get; init; }
    /// <summary>See <see cref="Deployments.StackStatus"/>.</summary>
    public required string StackStatus { get; init; }
    public string? StackStatusReason { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime? LastUpdatedTime { get; init; }
    public DateTime? DeletionTime { get; init; }
    public bool DisableRollback { get; init; }
    public string? RoleARN { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<Output> Outputs { get; init; } = [];
    public IReadOnlyList<Tag> Tags { get; init; } = [];
}

public sealed record Output
{
    public required string OutputKey { get; init; }
    public string? OutputValue { get; init; }
    public string? Description { get; init; }
    public string? ExportName { get; init; }
}

public sealed record DescribeStackEventsRequest
{
    /// <summary>The stack's name, or its id (ARN), which is required for a deleted stack.</summary>
    public required string StackName { get; init; }
    public string? NextToken { get; init; }
}

public sealed record DescribeStackEventsResponse : CloudFormationResponse
{
    /// <summary>Newest first.</summary>
    public IReadOnlyList<StackEvent> StackEvents { get; init; } = [];
    /// <summary>Set when older events remain.</summary>
    public string? NextToken { get; init; }
}

public sealed record StackEvent
{
    public required string EventId { get; init; }
    public required string StackId { get; init; }
    public required string StackName { get; init; }
    public string? LogicalResourceId { get; init; }
    public string? PhysicalResourceId { get; init; }
    public string? ResourceType { get; init; }
    /// <summary>UTC.</summary>
    public required DateTime Timestamp { get; init; }
    public string? ResourceStatus { get; init; }
    public string? ResourceStatusReason { get; init; }
    /// <summary>The token of the operation that caused the event (ExecuteChangeSet, DeleteStack, …).</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>
    /// The stack's own event (its status line) rather than one of its resources'. A nested stack is a
    /// resource of type AWS::CloudFormation::Stack too, but its logical id differs from the stack's name.
    /// </summary>
    public bool IsStackEvent => ResourceType == "AWS::CloudFormation::Stack" && LogicalResourceId == StackName;
}

public sealed record DeleteStackRequest
{
    public required string StackName { get; init; }
    /// <summary>Makes the call idempotent and tags its events; without it the client does not retry.</summary>
    public string? ClientRequestToken { get; init; }
    /// <summary>The role CloudFormation assumes to delete the stack.</summary>
    public string? RoleARN { get; init; }
}

public sealed record DeleteStackResponse : CloudFormationResponse;

public sealed record CancelUpdateStackRequest
{
    public required string StackName { get; init; }
    /// <summary>Makes the call idempotent; without it the client does not retry.</summary>
    public string? ClientRequestToken { get; init; }
}

public sealed record CancelUpdateStackResponse : CloudFormationResponse;
