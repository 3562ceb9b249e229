namespace Portal.Jobs.Deployments.Eta;

/// <summary>What CloudFormation does to a resource; each has its own duration (an ECS service's update is not its create).</summary>
public enum ResourceOperation
{
    Create,
    Update,
    Delete,
}

/// <summary>A resource type and what is done to it: the unit durations are learned and predicted by.</summary>
public readonly record struct ResourceStep(string ResourceType, ResourceOperation Operation)
{
    private const string StackType = "AWS::CloudFormation::Stack";

    /// <summary>
    /// Reads a resource's stack event: its step and whether it started (<c>X_IN_PROGRESS</c>) or finished
    /// (<c>X_COMPLETE</c>). Null for the stack's own events, failures, rollbacks and cleanup lines, which time nothing.
    /// </summary>
    public static (ResourceStep Step, bool Finished)? Parse(string resourceType, string resourceStatus)
    {
        if (resourceType == StackType) return null;
        var cut = resourceStatus.IndexOf('_', StringComparison.Ordinal);
        if (cut < 0) return null;
        ResourceOperation? operation = resourceStatus[..cut] switch
        {
            "CREATE" => ResourceOperation.Create,
            "UPDATE" => ResourceOperation.Update,
            "DELETE" => ResourceOperation.Delete,
            _ => null,
        };
        return (operation, resourceStatus[(cut + 1)..]) switch
        {
            ({ } op, "IN_PROGRESS") => (new ResourceStep(resourceType, op), false),
            ({ } op, "COMPLETE") => (new ResourceStep(resourceType, op), true),
            _ => null,
        };
    }
}

/// <summary>The part of a stack event the ETA reads (stored events and the history query both map to it).</summary>
public sealed record EtaEvent(string LogicalResourceId, string ResourceType, string ResourceStatus, DateTimeOffset Timestamp);
