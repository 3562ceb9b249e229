using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>
/// What "cancel" means for a revision now, and who may: the environment's owner or an admin withdraws an open revision
/// that is not deploying yet (expiry's destroy only an admin, see <see cref="ExpiryRules.MayWithdraw"/>) and rolls back
/// an update that is deploying; nothing else can be cancelled. Pages show their cancel buttons by <see cref="EffectFor"/>;
/// the commands refuse with the reason.
/// </summary>
public static class CancelRules
{
    /// <summary>What cancelling <paramref name="revision"/> would do for <paramref name="actor"/> now, or null when they may not.</summary>
    public static CancelEffect? EffectFor(EnvironmentSummary environment, RevisionView revision, Actor actor) =>
        Decide(new Subject(environment.Name, new Person(environment.OwnerId, environment.Owner), revision.Number, revision.Kind,
            revision.Status, revision.RequestedById), actor).Effect;

    /// <summary>What cancel means for a revision in the state of <paramref name="subject"/>, or why it is refused.</summary>
    internal static Decision Decide(Subject subject, Actor actor) =>
        subject.Status == RevisionStatus.Deploying
            ? Decision.Of(CancelEffect.RollBack, RefusalToRollBack(subject, actor))
            : Decision.Of(CancelEffect.Withdraw, RefusalToWithdraw(subject, actor));

    internal static WorkflowException? RefusalToWithdraw(Subject subject, Actor actor) =>
        EnvironmentAccess.RefusalToChange(subject.Environment, subject.Owner, actor)
        ?? ExpiryRules.RefusalToWithdraw(subject.Kind, subject.RequestedBy, subject.Number, subject.Environment, actor)
        ?? (RevisionTransitions.IsAllowed(subject.Status, RevisionStatus.Cancelled)
            ? null
            : new IllegalTransitionException(subject.Number, subject.Status, RevisionStatus.Cancelled));

    /// <summary>CloudFormation cancels only an update in progress; a create or a destroy runs to its end.</summary>
    internal static WorkflowException? RefusalToRollBack(Subject subject, Actor actor) =>
        EnvironmentAccess.RefusalToChange(subject.Environment, subject.Owner, actor)
        ?? (subject is { Status: RevisionStatus.Deploying, Kind: RevisionKind.Update }
            ? null
            : WorkflowException.Conflict(
                $"revision {subject.Number} is a {subject.Kind} that is {subject.Status}; only an update that is deploying can be cancelled"));

    /// <summary>What the rules read of a revision and its environment.</summary>
    internal sealed record Subject(
        string Environment, Person Owner, int Number, RevisionKind Kind, RevisionStatus Status, PersonId RequestedBy)
    {
        public static Subject Of(Revision revision) => new(
            revision.Environment.Name, revision.Environment.CreatedBy, revision.Number, revision.Kind, revision.Status, revision.RequestedBy.Id);
    }

    /// <summary>The effect, or the refusal when there is one.</summary>
    internal sealed record Decision(CancelEffect? Effect, WorkflowException? Refusal)
    {
        public static Decision Of(CancelEffect effect, WorkflowException? refusal) => refusal is null ? new(effect, null) : new(null, refusal);
    }
}
