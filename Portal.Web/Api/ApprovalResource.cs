using Portal.Jobs.Approvals;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>One decision on a revision: the approver by name and by key, and the change set it was given for.</summary>
public sealed record ApprovalResource(
    string Approver, PersonId ApproverId, ApprovalDecision Decision, string? Comment, DateTimeOffset At, string? ChangeSetId);
