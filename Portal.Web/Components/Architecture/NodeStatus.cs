using Portal.Infra.Architecture;
using Portal.Web.Components.Deployments;

namespace Portal.Web.Components.Architecture;

/// <summary>Where a node of the architecture map stands in the deployment shown.</summary>
public enum NodeStatus
{
    /// <summary>Not a resource of the stack (the internet, ECR, Secrets Manager).</summary>
    Outside,
    /// <summary>None of its resources is part of this deployment (an update that leaves it alone).</summary>
    Unchanged,
    NotStarted,
    InProgress,
    Complete,
    /// <summary>One of its resources failed in this deployment (even if a rollback settled it since).</summary>
    Failed,
    /// <summary>The stack rolled back and this node was touched: what it did was undone.</summary>
    RolledBack,
    /// <summary>A deployed service that runs its desired tasks behind healthy targets (its health, read from ECS and ELB).</summary>
    Healthy,
    /// <summary>A deployed service short of tasks or with targets that are not healthy.</summary>
    Unhealthy,
}

public static class NodeStatuses
{
    /// <summary>
    /// Folds the node's resources' latest statuses into one: failed beats working, working beats done; once the stack
    /// has settled, a node it touched reads complete (or rolled back, when the stack rolled back) even if some of its
    /// planned resources never got an event.
    /// </summary>
    public static NodeStatus Of(ArchitectureNode node, LiveDeployment deployment, IReadOnlyDictionary<ArchitectureNodeKind, bool>? health = null)
    {
        // A service's health, once known, is what a reader of a settled deployment wants to see.
        if (health is not null && health.TryGetValue(node.Kind, out var healthy) && Of(node, deployment) is NodeStatus.Complete or NodeStatus.Unchanged)
            return healthy ? NodeStatus.Healthy : NodeStatus.Unhealthy;

        if (node.Resources.Count == 0) return NodeStatus.Outside;
        var states = node.Resources.Select(deployment.Resource).OfType<ResourceState>().ToList();
        if (states.Count == 0) return NodeStatus.Unchanged;
        if (states.Any(s => s.FailedWith is not null)) return NodeStatus.Failed;
        if (states.Any(s => s.Status is not null && !s.Settled)) return NodeStatus.InProgress;
        if (states.All(s => s.Status is null)) return NodeStatus.NotStarted;
        var stackSettled = deployment.StackStatus is { } stack && !stack.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
        if (StatusTones.Of(deployment.StackStatus) == StatusTone.RollingBack && stackSettled) return NodeStatus.RolledBack;
        return states.All(s => s.Settled) || stackSettled ? NodeStatus.Complete : NodeStatus.InProgress;
    }

    /// <summary>The colour a status takes, the same as the event table's for the statuses behind it.</summary>
    public static StatusTone Tone(this NodeStatus status) => status switch
    {
        NodeStatus.InProgress => StatusTone.Working,
        NodeStatus.Complete => StatusTone.Done,
        NodeStatus.Failed or NodeStatus.Unhealthy => StatusTone.Failed,
        NodeStatus.Healthy => StatusTone.Done,
        NodeStatus.RolledBack => StatusTone.RollingBack,
        _ => StatusTone.Neutral,
    };

    /// <summary>"in progress", "not started", "outside the stack"…</summary>
    public static string Describe(this NodeStatus status) => status switch
    {
        NodeStatus.Outside => "outside the stack",
        NodeStatus.NotStarted => "not started",
        NodeStatus.InProgress => "in progress",
        NodeStatus.RolledBack => "rolled back",
        _ => status.ToString().ToLowerInvariant(),
    };
}
