using System.Globalization;
using System.Linq.Expressions;
using Portal.Infra.Targets;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Expiry;

/// <summary>
/// When an environment may expire: in the future and at most the target's <c>Expiry:MaxDays</c> ahead, checked when
/// it is requested (the form's "Expires on", the API's <c>expiresAt</c>) and again whenever it is extended.
/// </summary>
public sealed class ExpiryRules(ITargetPolicy targets, TimeProvider time)
{
    /// <summary>The field every expiry error names (the API's body field and the form's input).</summary>
    public const string Field = "expiresAt";

    /// <summary>Who requests the destroy of an expired environment (in revisions, the audit trail and notifications).</summary>
    public static readonly Person Requester = new(new PersonId(PersonId.PortalIssuer, "expiry"), "system:expiry");

    /// <summary>Who approves that destroy on a target whose policy auto-approves expiry.</summary>
    public static readonly Person Policy = new(new PersonId(PersonId.PortalIssuer, "expiry-policy"), "policy:expiry");

    /// <summary>By key: no sign-in produces the portal's issuer, so nobody can pass for expiry by their name.</summary>
    public static bool IsExpiryRequester(PersonId person) => person == Requester.Id;

    /// <summary>
    /// Expiry is not escaped by withdrawing or rejecting its destroy: an environment past its expiry that has a stack is
    /// due whenever no destroy is on its way, the first time and again after one was withdrawn, rejected or superseded.
    /// Only a destroy that failed stops it (that needs a person: asking again would fail again), and extending the
    /// expiry, which is the way to keep an environment.
    /// </summary>
    public static Expression<Func<ManagedEnvironment, bool>> IsDue(DateTimeOffset now) => e =>
        e.ExpiresAt != null && e.ExpiresAt <= now
        && (e.Status == EnvironmentStatus.Deployed || e.Status == EnvironmentStatus.Failed)
        && !e.Revisions.Any(r => r.Kind == RevisionKind.Destroy
                                 && (RevisionTransitions.Open.Contains(r.Status)
                                     || (r.Status == RevisionStatus.Failed && r.Number == e.CurrentRevisionNumber)));

    /// <summary>
    /// Whether <paramref name="actor"/> may withdraw a revision of <paramref name="kind"/> requested by
    /// <paramref name="requestedBy"/>: expiry's destroy only an admin (it is requested again at the next run, so this is
    /// a retry, e.g. after its plan failed); its owner keeps the environment by extending the expiry instead.
    /// </summary>
    public static bool MayWithdraw(RevisionKind kind, PersonId requestedBy, Actor actor) =>
        kind != RevisionKind.Destroy || !IsExpiryRequester(requestedBy) || actor.IsAdmin;

    /// <summary>Why <paramref name="actor"/> may not withdraw revision <paramref name="number"/>, or null when <see cref="MayWithdraw"/>.</summary>
    public static WorkflowException? RefusalToWithdraw(RevisionKind kind, PersonId requestedBy, int number, string environment, Actor actor) =>
        MayWithdraw(kind, requestedBy, actor)
            ? null
            : WorkflowException.Forbidden(
                $"revision {number} is the destroy that expiry requested for {environment}; withdrawing it would " +
                "not keep the environment (expiry requests it again). Extend the expiry to keep it: that withdraws this destroy.");

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The target's rules, or the defaults for a target that is not (or no longer) configured.</summary>
    public TargetExpiry For(string target) => targets.Expiry(target) ?? new TargetExpiry();

    public IReadOnlyList<FieldError> Validate(string target, DateTimeOffset expiresAt)
    {
        var now = Now;
        if (expiresAt <= now)
        {
            return [new FieldError(Field, $"must be in the future; {Format(expiresAt)} has passed (it is {Format(now)})")];
        }

        var maxDays = For(target).MaxDays;
        return expiresAt > now.AddDays(maxDays)
            ? [new FieldError(Field, $"must be at most {maxDays} days ahead on target '{target}' (until {Format(now.AddDays(maxDays))}), got {Format(expiresAt)}")]
            : [];
    }

    public void EnsureValid(string target, DateTimeOffset expiresAt)
    {
        if (Validate(target, expiresAt) is { Count: > 0 } errors)
        {
            throw WorkflowException.Invalid(errors);
        }
    }
}
