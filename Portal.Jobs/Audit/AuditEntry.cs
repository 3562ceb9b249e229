using Portal.Jobs.Workflow;

namespace Portal.Jobs.Audit;

/// <summary>
/// One line of an environment's audit trail: who did what, when. Written for every state change (environment
/// requested, revision submitted, every revision and environment status move, every approval decision) by the
/// domain, and saved in the same transaction as the change (<see cref="Data.PortalDb"/>).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    internal AuditEntry(DateTimeOffset at, Person who, string what, string environmentName, int? revisionNumber, string? details)
    {
        At = at;
        Who = who;
        What = what;
        EnvironmentName = environmentName;
        RevisionNumber = revisionNumber;
        Details = details;
    }

    /// <summary>Increasing in the order the changes happened.</summary>
    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public Person Who { get; private set; } = null!;

    /// <summary>E.g. "Submitted Update revision", "Revision AwaitingApproval → Approved", "Approved".</summary>
    public string What { get; private set; } = "";

    /// <summary>By name (unique, never changes), so the trail reads on its own.</summary>
    public string EnvironmentName { get; private set; } = "";

    public int? RevisionNumber { get; private set; }

    /// <summary>The reason or comment, if any.</summary>
    public string? Details { get; private set; }
}
