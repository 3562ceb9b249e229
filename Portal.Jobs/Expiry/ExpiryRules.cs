using System.Globalization;
using Portal.Infra.Targets;
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
