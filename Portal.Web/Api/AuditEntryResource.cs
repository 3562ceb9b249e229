using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>One line of an environment's audit trail: who (by name and key) did what, to which revision.</summary>
public sealed record AuditEntryResource(DateTimeOffset At, string Who, PersonId WhoId, string What, int? RevisionNumber, string? Details);
