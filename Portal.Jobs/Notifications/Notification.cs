using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Notifications;

/// <summary>What a target's webhooks are told about.</summary>
public enum NotificationEvent
{
    /// <summary>A revision was planned and waits for approvers.</summary>
    AwaitingApproval,
    /// <summary>A revision deployed (a destroy: the stack is gone).</summary>
    Deployed,
    /// <summary>A revision failed; the details carry the root cause.</summary>
    Failed,
    /// <summary>An environment reached its expiry date and its destroy was requested.</summary>
    Expired,
}

/// <summary>
/// One thing to tell a target's webhooks, written by the domain in the same transaction as the change it reports
/// (an outbox): a crash after the change cannot lose it. <see cref="NotificationDispatcher"/> turns each into one
/// Hangfire delivery job per webhook and sets <see cref="QueuedAt"/>.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
    }

    internal Notification(
        NotificationEvent @event, string environmentName, string target, int revisionNumber, RevisionKind revisionKind,
        Person requestedBy, string? details)
    {
        At = DateTimeOffset.UtcNow;
        Event = @event;
        EnvironmentName = environmentName;
        Target = target;
        RevisionNumber = revisionNumber;
        RevisionKind = revisionKind;
        RequestedBy = requestedBy;
        Details = details;
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public NotificationEvent Event { get; private set; }

    public string EnvironmentName { get; private set; } = "";

    public string Target { get; private set; } = "";

    public int RevisionNumber { get; private set; }

    public RevisionKind RevisionKind { get; private set; }

    public Person RequestedBy { get; private set; } = null!;

    /// <summary>The revision's status reason at the time: the root cause of a failure, "12 changes to review"…</summary>
    public string? Details { get; private set; }

    /// <summary>When its delivery jobs were queued; null while waiting for the dispatcher.</summary>
    public DateTimeOffset? QueuedAt { get; private set; }

    internal void MarkQueued(DateTimeOffset at) => QueuedAt = at;
}
