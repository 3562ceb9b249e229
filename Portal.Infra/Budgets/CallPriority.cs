namespace Portal.Infra.Budgets;

/// <summary>Who waits for a call: a person (plan, deploy, cancel) goes ahead of watching and drift checks.</summary>
public enum CallPriority
{
    /// <summary>A step someone is waiting on: it may draw the bucket below empty, up to one burst, so it never queues behind watchers.</summary>
    Action,

    /// <summary>Watching stacks, reconciling events, drift checks: only what the bucket holds.</summary>
    Watch,
}

/// <summary>Each CloudFormation action's priority.</summary>
public static class CallPriorities
{
    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "CreateChangeSet", "ExecuteChangeSet", "CancelUpdateStack", "DeleteStack", "DeleteChangeSet",
        // A plan reads its change set back while someone waits for it, and a deploy reads it right before executing.
        "DescribeChangeSet",
    };

    public static CallPriority Of(string action) => Actions.Contains(action) ? CallPriority.Action : CallPriority.Watch;
}
