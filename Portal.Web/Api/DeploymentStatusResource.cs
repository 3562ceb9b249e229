using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;

namespace Portal.Web.Api;

/// <summary>Where an environment stands, as the event stream's <c>status</c> event announces it when it changes.</summary>
public sealed record DeploymentStatusResource(
    string Environment, EnvironmentStatus EnvironmentStatus, int RevisionNumber, RevisionKind RevisionKind,
    RevisionStatus RevisionStatus, string? StatusReason);
