using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

/// <summary>How often <see cref="StackEventWatcher"/> polls; configuration section <c>StackEvents</c>.</summary>
public sealed class WatchOptions
{
    public const string Section = "StackEvents";

    /// <summary>The poll interval while events keep arriving.</summary>
    public TimeSpan ActiveInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The interval doubles while nothing happens and after each failed poll (throttling, 5xx, unreachable), up to this;
    /// new events bring it back to <see cref="ActiveInterval"/>.
    /// </summary>
    public TimeSpan QuietInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a stack is polled while its events arrive by push (<see cref="WatchRequest.WaitForPush"/>): polling then
    /// only reconciles (CloudFormation's event ids, any event the push lost), and one poll follows as soon as the push
    /// says the stack settled.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Long polls each process keeps open on a target's intake queue, each taking up to 10 messages at a time, while one
    /// loop stores all that they received meanwhile in one transaction.
    /// </summary>
    public int IntakeReaders { get; set; } = 4;

    /// <summary>
    /// A poll unanswered this long (an endpoint that stopped answering holds it for the client's AttemptTimeout, 20 s,
    /// and again for each retry) is reported as <see cref="WatchUpdate.Retrying"/> while it lasts.
    /// </summary>
    public TimeSpan SlowPollAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long without one successful poll the watch fails with the last error.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>What to watch.</summary>
public sealed record WatchRequest
{
    /// <summary>
    /// The stack's id (ARN) — preferred: it still answers after the stack is deleted — or its name.
    /// A stack that does not exist ends the watch with <see cref="CloudFormationException.IsStackMissing"/>.
    /// </summary>
    public required string StackName { get; init; }

    /// <summary>
    /// When the operation started, by CloudFormation's clock (UTC): events older than this belong to earlier
    /// operations. Use the change set's CreationTime for ExecuteChangeSet, and
    /// <see cref="StackEventWatcher.AfterNewestEventAsync"/> taken before DeleteStack.
    /// </summary>
    public required DateTime Since { get; init; }

    /// <summary>
    /// This operation's events the caller already has (stored by an earlier watch that was interrupted): they
    /// are not handed on again, and they still count for progress and the root cause.
    /// </summary>
    public IReadOnlyList<StackEvent> KnownEvents { get; init; } = [];

    /// <summary>Resources in the change set, for "settled / total" progress; null when unknown.</summary>
    public int? TotalResources { get; init; }

    /// <summary>
    /// Set when the stack's events arrive by push: waits at most the given time, returning early once pushed events say
    /// the stack reached a new terminal status. The watcher then polls every <see cref="WatchOptions.ReconcileInterval"/>
    /// and at once after this returns early, instead of following the stack by polling alone.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? WaitForPush { get; init; }
}

/// <summary>One step of a watch. The last one carries <see cref="Outcome"/>.</summary>
public sealed record WatchUpdate
{
    /// <summary>Events not handed on before, oldest first.</summary>
    public IReadOnlyList<StackEvent> NewEvents { get; init; } = [];

    /// <summary>The stack's status at the last successful poll.</summary>
    public string? StackStatus { get; init; }

    /// <summary>Resources of this operation that stopped changing (latest status not *_IN_PROGRESS).</summary>
    public int Settled { get; init; }

    public int? Total { get; init; }

    /// <summary>
    /// Set while CloudFormation cannot be reached, keeps answering with transient errors or has not answered a poll
    /// for <see cref="WatchOptions.SlowPollAfter"/>: the watcher keeps trying (the UI says "retrying"). Null again on
    /// the next successful poll.
    /// </summary>
    public Exception? Retrying { get; init; }

    /// <summary>Set on the last update, once the stack reached a terminal status.</summary>
    public WatchOutcome? Outcome { get; init; }
}

/// <summary>How the operation ended.</summary>
public sealed record WatchOutcome
{
    public required string StackId { get; init; }
    public required string StackStatus { get; init; }
    public required bool Succeeded { get; init; }
    public string? StackStatusReason { get; init; }

    /// <summary>Why it failed; null when it succeeded.</summary>
    public RootCause? RootCause { get; init; }

    public IReadOnlyList<Output> Outputs { get; init; } = [];
}
