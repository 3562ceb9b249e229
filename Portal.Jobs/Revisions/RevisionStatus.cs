namespace Portal.Jobs.Revisions;

public enum RevisionStatus
{
    Submitted,
    Planning,
    PlanFailed,
    AwaitingApproval,
    Rejected,
    Approved,
    Deploying,
    Deployed,
    Failed,
    Superseded,
    Cancelled,
}

/// <summary>What a revision does to the stack: create it, update it (UPDATE change set) or delete it.</summary>
public enum RevisionKind
{
    Create,
    Update,
    Destroy,
}
