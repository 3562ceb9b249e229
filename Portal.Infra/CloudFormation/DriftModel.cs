namespace Portal.Infra.CloudFormation;

/// <summary>Values of <c>StackDriftStatus</c>: whether a stack differs from its template.</summary>
public static class StackDriftStatus
{
    public const string Drifted = "DRIFTED";
    public const string InSync = "IN_SYNC";
    public const string Unknown = "UNKNOWN";
    public const string NotChecked = "NOT_CHECKED";
}

/// <summary>Values of <c>DetectionStatus</c>: how far a drift detection operation got.</summary>
public static class StackDriftDetectionStatus
{
    public const string InProgress = "DETECTION_IN_PROGRESS";
    public const string Complete = "DETECTION_COMPLETE";
    public const string Failed = "DETECTION_FAILED";
}

/// <summary>Values of <c>StackResourceDriftStatus</c>.</summary>
public static class StackResourceDriftStatus
{
    public const string InSync = "IN_SYNC";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string NotChecked = "NOT_CHECKED";
}

/// <summary>Values of a property difference's <c>DifferenceType</c>.</summary>
public static class DifferenceType
{
    public const string Add = "ADD";
    public const string Remove = "REMOVE";
    public const string NotEqual = "NOT_EQUAL";
}

public sealed record DetectStackDriftRequest
{
    public required string StackName { get; init; }
    /// <summary>Only these resources are checked; empty checks every resource that supports drift detection.</summary>
    public IReadOnlyList<string> LogicalResourceIds { get; init; } = [];
}

public sealed record DetectStackDriftResponse : CloudFormationResponse
{
    /// <summary>The operation's id, for <see cref="ICloudFormation.DescribeStackDriftDetectionStatusAsync"/>.</summary>
    public required string StackDriftDetectionId { get; init; }
}

public sealed record DescribeStackDriftDetectionStatusRequest
{
    public required string StackDriftDetectionId { get; init; }
}

public sealed record DescribeStackDriftDetectionStatusResponse : CloudFormationResponse
{
    public required string StackId { get; init; }
    public required string StackDriftDetectionId { get; init; }
    /// <summary>See <see cref="CloudFormation.StackDriftStatus"/>; absent while the detection runs.</summary>
    public string? StackDriftStatus { get; init; }
    /// <summary>See <see cref="StackDriftDetectionStatus"/>.</summary>
    public required string DetectionStatus { get; init; }
    public string? DetectionStatusReason { get; init; }
    /// <summary>Null until the detection is complete; 0 for a stack in sync.</summary>
    public int? DriftedStackResourceCount { get; init; }
    /// <summary>UTC: when the detection started.</summary>
    public DateTime Timestamp { get; init; }

    public bool IsFinished => DetectionStatus != StackDriftDetectionStatus.InProgress;
}

public sealed record DescribeStackResourceDriftsRequest
{
    public required string StackName { get; init; }
    /// <summary>Only resources in these drift states (see <see cref="StackResourceDriftStatus"/>); empty: all.</summary>
    public IReadOnlyList<string> StackResourceDriftStatusFilters { get; init; } = [];
    public string? NextToken { get; init; }
    /// <summary>1–100 per page; CloudFormation's default when absent.</summary>
    public int? MaxResults { get; init; }
}

public sealed record DescribeStackResourceDriftsResponse : CloudFormationResponse
{
    public IReadOnlyList<StackResourceDrift> StackResourceDrifts { get; init; } = [];
    /// <summary>Set when more results remain.</summary>
    public string? NextToken { get; init; }
}

public sealed record StackResourceDrift
{
    public required string StackId { get; init; }
    public required string LogicalResourceId { get; init; }
    public string? PhysicalResourceId { get; init; }
    public required string ResourceType { get; init; }
    /// <summary>The template's property values as JSON.</summary>
    public string? ExpectedProperties { get; init; }
    /// <summary>The resource's property values as JSON; absent for a deleted resource.</summary>
    public string? ActualProperties { get; init; }
    public IReadOnlyList<PropertyDifference> PropertyDifferences { get; init; } = [];
    /// <summary>See <see cref="CloudFormation.StackResourceDriftStatus"/>.</summary>
    public required string StackResourceDriftStatus { get; init; }
    /// <summary>UTC: when this resource was checked.</summary>
    public DateTime Timestamp { get; init; }
}

public sealed record PropertyDifference
{
    /// <summary>A JSON pointer into the properties, e.g. <c>/RedrivePolicy/maxReceiveCount</c>.</summary>
    public required string PropertyPath { get; init; }
    public required string ExpectedValue { get; init; }
    public required string ActualValue { get; init; }
    /// <summary>See <see cref="CloudFormation.DifferenceType"/>.</summary>
    public required string DifferenceType { get; init; }
}
