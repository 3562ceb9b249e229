namespace Portal.Jobs.Revisions;

/// <summary>What a cancel did, and the revision as saved afterwards (still Deploying while CloudFormation rolls it back).</summary>
public sealed record CancelOutcome(CancelEffect Effect, RevisionView Revision);
