using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Submissions;

/// <summary>
/// At most <see cref="SubmissionOptions.PerUser"/> new revisions per person within a sliding
/// <see cref="SubmissionOptions.Window"/>, counted from the stored revisions: the same on every instance and after a
/// restart, and checked inside the write transaction that adds the revision, so a burst of parallel requests cannot
/// all slip under it.
/// </summary>
public sealed class SubmissionLimit(IOptions<SubmissionOptions> options, TimeProvider time)
{
    /// <summary>
    /// Whom a submission counts against, as revisions store their requester (<c>RequestedBy</c>): the one place that
    /// says how a person is keyed.
    /// </summary>
    public static PersonId KeyOf(Actor actor) => actor.Id;

    /// <summary>Throws <see cref="SubmissionLimitException"/> when <paramref name="actor"/> may not submit now.</summary>
    public async Task EnsureAllowedAsync(PortalDb db, Actor actor, CancellationToken cancellationToken)
    {
        var (limit, window) = (options.Value.PerUser, options.Value.Window);
        var key = KeyOf(actor);
        var now = time.GetUtcNow();
        var since = now - window;
        var recent = await db.Revisions.AsNoTracking()
            .Where(r => r.RequestedBy.Id == key && r.SubmittedAt > since)
            .OrderBy(r => r.SubmittedAt).Select(r => r.SubmittedAt)
            .ToListAsync(cancellationToken);
        if (recent.Count < limit)
            return;

        // A slot frees when the submission that keeps the count at the limit leaves the window.
        var freesAt = recent[recent.Count - limit] + window;
        var retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((freesAt - now).TotalSeconds)));
        throw new SubmissionLimitException(
            $"{actor.DisplayName} submitted {recent.Count} changes in the last {Duration(window)}; at most {limit} are allowed. " +
            $"Try again in {Duration(retryAfter)} (at {freesAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC).",
            retryAfter);
    }

    /// <summary>"1 h", "10 min", "2 min 5 s", "40 s".</summary>
    private static string Duration(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days} d");
        if (span.Hours > 0) parts.Add($"{span.Hours} h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes} min");
        if (span.Seconds > 0 || parts.Count == 0) parts.Add($"{span.Seconds} s");
        return string.Join(" ", parts);
    }
}
