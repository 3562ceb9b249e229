using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

/// <summary>
/// Who may change an environment, and whether its stack may be destroyed now: pages show their buttons by these, and
/// the commands refuse by the same rules.
/// </summary>
public static class EnvironmentAccess
{
    /// <summary>Engineers change only the environments they created; admins change any.</summary>
    public static bool MayChange(PersonId owner, Actor actor) => actor.IsAdmin || (actor.MayRequest && actor.Is(owner));

    public static bool MayChange(EnvironmentSummary environment, Actor actor) => MayChange(environment.OwnerId, actor);

    /// <summary>Whether a stack stands: none before the first deploy and none after a destroy.</summary>
    public static bool HasStack(EnvironmentStatus status) => status is not (EnvironmentStatus.Requested or EnvironmentStatus.Destroyed);

    /// <summary>
    /// A destroy is asked of a stack that stands and that no deploy is changing (the destroy command refuses a
    /// deploying environment until its deploy ends).
    /// </summary>
    public static bool MayDestroy(EnvironmentSummary environment, Actor actor) =>
        MayChange(environment, actor) && HasStack(environment.Status)
        && environment.Status is not (EnvironmentStatus.Deploying or EnvironmentStatus.Destroying);

    /// <summary>Why <paramref name="actor"/> may not change <paramref name="environment"/>, or null when they may.</summary>
    public static WorkflowException? RefusalToChange(string environment, Person owner, Actor actor) =>
        MayChange(owner.Id, actor) ? null : WorkflowException.Forbidden($"{actor.DisplayName} may not change {environment}: it belongs to {owner.Name}");
}
