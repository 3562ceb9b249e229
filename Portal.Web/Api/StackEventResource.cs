namespace Portal.Web.Api;

/// <summary>
/// One CloudFormation stack event as the portal stored it: <c>id</c> is the portal's own, increasing per environment (the
/// cursor for <c>after=</c> and <c>Last-Event-ID</c>); <c>eventId</c> is CloudFormation's.
/// </summary>
public sealed record StackEventResource(
    long Id, int RevisionNumber, string EventId, DateTimeOffset Timestamp, string LogicalResourceId,
    string? PhysicalResourceId, string ResourceType, string ResourceStatus, string? ResourceStatusReason);
