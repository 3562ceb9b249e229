using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Web.Api;

/// <summary>
/// An environment in the API's list and at the head of its own answer: the owner by name and by key, and since when
/// its Deployed stack is missing (deleted outside the portal; null while it stands).
/// </summary>
public sealed record EnvironmentResource(
    string Name,
    string Target,
    string StackName,
    EnvironmentStatus Status,
    string Owner,
    PersonId OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangeAt,
    int CurrentRevisionNumber,
    RevisionKind CurrentRevisionKind,
    RevisionStatus CurrentRevisionStatus,
    int? DeployedRevisionNumber,
    DateTimeOffset? StackMissingSince);
