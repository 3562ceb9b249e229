namespace Portal.Jobs.Audit;

public sealed record AuditView(DateTimeOffset At, string Who, string What, int? RevisionNumber, string? Details);
