using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Infra.Intake;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using CfnStackEvent = Portal.Infra.CloudFormation.StackEvent;

namespace Portal.Jobs.StackEvents;

/// <summary>A message of an intake queue: its body and the handle that deletes it.</summary>
public sealed record IntakeMessage(string Body, string ReceiptHandle);

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
            if (PushedStackEvent.Read(message.Body, out var refusal) is { } read)
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

        foreach (var group in events.GroupBy(e => (e.Event.StackName, Revision: DeploymentNames.RevisionOf(e.Event.ClientRequestToken))))
        {
            var environment = environments.FirstOrDefault(e => e.StackName == group.Key.StackName);
            if (environment is null || group.Key.Revision is not { } revisionId || revisions.GetValueOrDefault(revisionId) != environment.Id)
            {
                // Another tool's stack or operation: the portal follows only its own (polling still reconciles a watched stack).
                done.AddRange(group.Select(e => e.Message.ReceiptHandle));
                continue;
            }
            try
            {
                if (await db.AppendPushedAsync(environment, revisionId, [.. group.Select(e => e.Event)], cancellationToken) > 0)
                    feed.Publish(environment.Name);
                done.AddRange(group.Select(e => e.Message.ReceiptHandle));
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(e, "Could not store pushed events of {Environment}; the queue delivers them again", environment.Name);
            }
        }
        return done;
    }
}
