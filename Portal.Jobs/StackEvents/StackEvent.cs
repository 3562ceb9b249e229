namespace Portal.Jobs.StackEvents;

/// <summary>
/// A CloudFormation stack event, stored before it is shown. <see cref="Id"/> increases in insertion order and is the
/// cursor for catch-up (<c>after=&lt;id&gt;</c>); <see cref="EventId"/> is unique per environment, so a watcher that
/// sees an event twice stores it once. An event that arrived by push carries EventBridge's id until polling finds it
/// (<see cref="Reconcile"/>).
/// </summary>
public sealed class StackEvent
{
    private StackEvent()
    {
    }

    public StackEvent(
        int environmentId, int revisionId, string eventId, DateTimeOffset timestamp, string logicalResourceId,
        string? physicalResourceId, string resourceType, string resourceStatus, string? resourceStatusReason)
    {
        EnvironmentId = environmentId;
        RevisionId = revisionId;
        EventId = eventId;
        Timestamp = timestamp;
        LogicalResourceId = logicalResourceId;
        PhysicalResourceId = physicalResourceId;
        ResourceType = resourceType;
        ResourceStatus = resourceStatus;
        ResourceStatusReason = resourceStatusReason;
    }

    public long Id { get; private set; }

    public int EnvironmentId { get; private set; }

    public int RevisionId { get; private set; }

    public string EventId { get; private set; } = "";

    public DateTimeOffset Timestamp { get; private set; }

    public string LogicalResourceId { get; private set; } = "";

    public string? PhysicalResourceId { get; private set; }

    public string ResourceType { get; private set; } = "";

    public string ResourceStatus { get; private set; } = "";

    public string? ResourceStatusReason { get; private set; }

    /// <summary>
    /// Gives an event known by push only (<see cref="Portal.Infra.Intake.PushedStackEvent"/>) what polling found of it:
    /// CloudFormation's EventId and its exact time.
    /// </summary>
    public void Reconcile(string eventId, DateTimeOffset timestamp, string? physicalResourceId, string? resourceStatusReason)
    {
        EventId = eventId;
        Timestamp = timestamp;
        PhysicalResourceId ??= physicalResourceId;
        ResourceStatusReason ??= resourceStatusReason;
    }
}
