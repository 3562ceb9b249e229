using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>A move the transition table (or a guard on it) does not allow; a 409 for callers.</summary>
public sealed class IllegalTransitionException(int revisionNumber, RevisionStatus from, RevisionStatus to, string? why = null)
    : WorkflowException(WorkflowErrorCode.Conflict, null,
        $"revision {revisionNumber} cannot go from {from} to {to}" + (why is null ? "" : $": {why}"))
{
    public RevisionStatus From { get; } = from;

    public RevisionStatus To { get; } = to;
}
