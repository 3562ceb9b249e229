namespace Portal.Web.Api;

/// <summary>One environment: its stack outputs, its revisions newest first (with approvals), its audit trail oldest first.</summary>
public sealed record EnvironmentDetailResource(
    EnvironmentResource Environment,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<RevisionResource> Revisions,
    IReadOnlyList<AuditEntryResource> Audit);
