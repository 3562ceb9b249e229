using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>
/// The plan queue, fair between the people who submit: a Submitted revision starts planning only while its requester
/// has fewer than <see cref="SubmissionOptions.PlansPerUser"/> revisions Planning, and among those waiting, the one
/// whose requester has the fewest plans running goes first (then the oldest). Synthesis runs one at a time per process,
/// so without this a burst of one person's plans would hold everyone else's behind it; with it, another person's plan
/// waits for at most that many of the burst's. Decided in the database's write transaction, so it is the same on every
/// worker, and no job ever waits for a turn: the plan job admits what may start, queues a job for each, and admits
/// again when its own plan ends and frees a turn.
/// </summary>
public sealed class PlanAdmission(
    IDbContextFactory<PortalDb> databases, IOptions<SubmissionOptions> options, IPlanScheduler plans, StackEventFeed feed, TimeProvider time)
{
    /// <summary>
    /// A plan still Planning after this long has outlived its job's retries (about ten minutes; start-up recovery
    /// resumes it): it no longer holds its requester's turn, so a stuck plan never blocks their next ones.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Moves every revision that may start planning now to Planning and queues its plan job, except for
    /// <paramref name="planningItself"/> (the caller plans that one itself).
    /// </summary>
    public async Task AdmitAsync(int? planningItself, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var admitted = await db.WriteAsync(async () =>
        {
            var since = time.GetUtcNow() - StaleAfter;
            var running = await db.Revisions.AsNoTracking().Where(r => r.Status == RevisionStatus.Planning && r.StatusChangedAt > since)
                .GroupBy(r => r.RequestedBy.Id).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            var waiting = await db.Revisions.AsNoTracking().Where(r => r.Status == RevisionStatus.Submitted)
                .OrderBy(r => r.Id).Select(r => new Waiting(r.Id, r.RequestedBy.Id)).ToListAsync(cancellationToken);
            var chosen = Choose(waiting, running, options.Value.PlansPerUser);
            if (chosen.Count == 0)
                return new List<string>();

            var revisions = await db.Revisions.Include(r => r.Environment).Include(r => r.Approvals)
                .Where(r => chosen.Contains(r.Id)).ToListAsync(cancellationToken);
            foreach (var revision in revisions)
                revision.TransitionTo(RevisionStatus.Planning, Person.Portal);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var environment in revisions.Select(r => r.Environment.Name).Distinct())
                await db.AnnounceAsync(environment, cancellationToken);
            // Queued before the commit: a crash in between leaves the revision Submitted, and its job admits it again.
            foreach (var id in chosen.Where(id => id != planningItself))
                await plans.EnqueueAsync(id, cancellationToken);
            return revisions.Select(r => r.Environment.Name).Distinct().ToList();
        }, cancellationToken);
        foreach (var environment in admitted)
            feed.Publish(environment);
    }

    /// <summary>A Submitted revision and who requested it.</summary>
    public sealed record Waiting(int RevisionId, PersonId RequestedBy);

    /// <summary>
    /// Which of <paramref name="waiting"/> (oldest first) start now, in order: each turn goes to the requester with the
    /// fewest plans running (<paramref name="running"/>, counting those admitted on the way) below <paramref name="cap"/>,
    /// ties to the one who has waited longest.
    /// </summary>
    public static IReadOnlyList<int> Choose(IReadOnlyList<Waiting> waiting, IReadOnlyDictionary<PersonId, int> running, int cap)
    {
        var queues = waiting.GroupBy(w => w.RequestedBy).ToDictionary(g => g.Key, g => new Queue<int>(g.Select(w => w.RevisionId)));
        var counts = queues.Keys.ToDictionary(user => user, user => running.GetValueOrDefault(user));
        var chosen = new List<int>();
        while (queues.Where(q => q.Value.Count > 0 && counts[q.Key] < cap)
                   .OrderBy(q => counts[q.Key]).ThenBy(q => q.Value.Peek())
                   .Select(q => q.Key).FirstOrDefault() is { } user)
        {
            chosen.Add(queues[user].Dequeue());
            counts[user]++;
        }
        return chosen;
    }
}
