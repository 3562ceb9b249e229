using Portal.Jobs.Deployments.Eta;

namespace Portal.Jobs.Revisions;

/// <summary>A revision with what it costs against the deployed one, and its remaining time while it deploys (else null).</summary>
public sealed record RevisionDetail(RevisionView Revision, RevisionCost Cost, EtaView? Eta);
