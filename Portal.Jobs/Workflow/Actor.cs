namespace Portal.Jobs.Workflow;

/// <summary>
/// Who asks for a command: a signed-in person (their <see cref="PersonId"/>, the name they show now, their roles), or
/// the portal's own jobs. Every rule about people (ownership, who may decide, distinct approvers) compares
/// <see cref="Id"/> only; <see cref="DisplayName"/> is for messages and what pages show.
/// </summary>
public sealed record Actor(PersonId Id, string DisplayName, IReadOnlySet<string> Roles)
{
    /// <summary>The actor as stored with what they do.</summary>
    public Person Person => new(Id, DisplayName);

    public bool IsAdmin => Roles.Contains(PortalRoles.Admin);

    /// <summary>Engineers request and change environments; admins do everything.</summary>
    public bool MayRequest => IsAdmin || Roles.Contains(PortalRoles.Engineer);

    /// <summary>Approvers and admins decide on revisions (never on their own, see ApprovalPolicy).</summary>
    public bool MayDecide => IsAdmin || Roles.Contains(PortalRoles.Approver);

    /// <summary>Whether <paramref name="person"/> is this actor: the same issuer and subject, ordinally.</summary>
    public bool Is(PersonId person) => Id == person;
}
