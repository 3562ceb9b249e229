using Portal.Jobs.Workflow;

namespace Portal.Jobs.Audit;

/// <summary>One line of the audit trail: who by the name they showed then, and by key (<see cref="WhoId"/>).</summary>
public sealed record AuditView(DateTimeOffset At, string Who, PersonId WhoId, string What, int? RevisionNumber, string? Details);
