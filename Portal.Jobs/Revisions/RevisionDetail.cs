using Portal.Infra.ServiceHealth;
using Portal.Jobs.Deployments.Eta;

namespace Portal.Jobs.Revisions;

/// <summary>
/// A revision with what it costs against the deployed one, its remaining time while it deploys (else null), and the
/// last reading of its services its deploy stored (null when none).
/// </summary>
public sealed record RevisionDetail(RevisionView Revision, RevisionCost Cost, EtaView? Eta, ServiceDiagnosis? Diagnosis);
