using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Infra.Intake;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using CfnStackEvent = Portal.Infra.CloudFormation.StackEvent;

namespace Portal.Jobs.StackEvents;

/// <summary>A message of an intake queue: its body, the handle that deletes it, and when it was sent to the queue (if said).</summary>
public sealed record IntakeMessage(string Body, string ReceiptHandle, DateTime? SentAt = null);

/// <summary>
/// Stores the stack events that intake messages carry, each under the revision whose operation caused it (the event's
/// client request token names it), and wakes the pages of their environments. Says which messages may be deleted:
/// those stored (or stored already), and those that can never be (no CloudFormation event, a stack or an operation
/// that is not the portal's). A message whose events could not be stored is kept, so the queue delivers it again.
/// </summary>
public sealed class StackEventIntakeStore(IDbContextFactory<PortalDb> databases, StackEventFeed feed, ILogger<StackEventIntakeStore> logger)
{
    /// <summary>Stores what <paramref name="messages"/> carry; returns the receipt handles of the messages that are done with.</summary>
    public async Task<IReadOnlyList<string>> StoreAsync(string target, IReadOnlyList<IntakeMessage> messages, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var events = new List<(IntakeMessage Message, CfnStackEvent Event)>();
        foreach (var message in messages)
        {
            if (PushedStackEvent.Read(message.Body, out var refusal, message.SentAt) is { } read)
                events.Add((message, read));
            else
            {
                logger.LogWarning("Dropped a message of target {Target}'s intake queue: {Refusal}", target, refusal);
                done.Add(message.ReceiptHandle);
            }
        }
        if (events.Count == 0) return done;

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stackNames = events.Select(e => e.Event.StackName).Distinct().ToList();
        var environments = await db.Environments.Where(e => e.Target == target && stackNames.Contains(e.StackName)).ToListAsync(cancellationToken);
        var revisionIds = events.Select(e => DeploymentNames.RevisionOf(e.Event.ClientRequestToken)).OfType<int>().Distinct().ToList();
        var revisions = await db.Revisions.Where(r => revisionIds.Contains(r.Id)).Select(r => new { r.Id, r.EnvironmentId })
            .ToDictionaryAsync(r => r.Id, r => r.EnvironmentId, cancellationToken);

        var groups = new List<StackEventGroup>();
        var stored = new List<string>();
        foreach (var group in events.GroupBy(e => (e.Event.StackName, Revision: DeploymentNames.RevisionOf(e.Event.ClientRequestToken))))
        {
            var environment = environments.FirstOrDefault(e => e.StackName == group.Key.StackName);
            // Another tool's stack or operation: the portal follows only its own (polling still reconciles a watched stack).
            if (environment is null || group.Key.Revision is not { } revisionId || revisions.GetValueOrDefault(revisionId) != environment.Id)
                done.AddRange(group.Select(e => e.Message.ReceiptHandle));
            else
            {
                groups.Add(new StackEventGroup(environment, revisionId, [.. group.Select(e => e.Event)]));
                stored.AddRange(group.Select(e => e.Message.ReceiptHandle));
            }
        }
        try
        {
            foreach (var name in await db.AppendPushedAsync(groups, cancellationToken))
                feed.Publish(name);
            done.AddRange(stored);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(e, "Could not store pushed events of target {Target}; the queue delivers them again", target);
        }
        return done;
    }
}
