using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;

namespace Portal.Infra.Deployments;

/// <summary>
/// Follows one stack operation (an executed change set, a delete) through DescribeStackEvents until the
/// stack settles, handing on each new event exactly once, oldest first.
/// </summary>
public sealed class StackEventWatcher
{
    private readonly WatchOptions _options;
    private readonly TimeProvider _time;

    public StackEventWatcher(IOptions<WatchOptions> options, TimeProvider time)
        : this(options.Value, time)
    {
    }

    public StackEventWatcher(WatchOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The instant just after the stack's newest event, by CloudFormation's clock: take it before DeleteStack
    /// (or any operation without a change set) and pass it as <see cref="WatchRequest.Since"/>.
    /// </summary>
    public static async Task<DateTime> AfterNewestEventAsync(ICloudFormation cloudFormation, string stackName, CancellationToken cancellationToken)
    {
        var page = await cloudFormation.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackName }, cancellationToken);
        return page.StackEvents.Count == 0 ? DateTime.MinValue : page.StackEvents[0].Timestamp.AddTicks(1);
    }

    /// <summary>
    /// How many resources the stack holds now, read from its whole event history (the client has no
    /// DescribeStackResources): a resource exists while one of its physical resources was created and not deleted since.
    /// A replaced resource still counts (its old physical resource is deleted, its new one is not); one that failed
    /// before CloudFormation made it (no physical id) does not. The "settled / total" of a DeleteStack.
    /// </summary>
    public static async Task<int> ResourceCountAsync(ICloudFormation cloudFormation, string stackName, CancellationToken cancellationToken)
    {
        var alive = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var e in await HistoryAsync(cloudFormation, stackName, cancellationToken))
        {
            if (e.IsStackEvent || e.LogicalResourceId is null || string.IsNullOrEmpty(e.PhysicalResourceId))
                continue;
            var physical = alive.TryGetValue(e.LogicalResourceId, out var ids) ? ids : alive[e.LogicalResourceId] = new(StringComparer.Ordinal);
            if (e.ResourceStatus is "DELETE_COMPLETE" or "DELETE_SKIPPED")
                physical.Remove(e.PhysicalResourceId);
            else
                physical.Add(e.PhysicalResourceId);
        }
        return alive.Values.Count(ids => ids.Count > 0);
    }

    /// <summary>
    /// The stack's whole event history (every page CloudFormation keeps; it keeps a stack's events for 90 days), oldest
    /// first, each event once.
    /// </summary>
    public static async Task<IReadOnlyList<StackEvent>> HistoryAsync(ICloudFormation cloudFormation, string stackName, CancellationToken cancellationToken)
    {
        var events = new List<StackEvent>();
        string? nextToken = null;
        do
        {
            var page = await cloudFormation.DescribeStackEventsAsync(
                new DescribeStackEventsRequest { StackName = stackName, NextToken = nextToken }, cancellationToken);
            events.AddRange(page.StackEvents);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        // Pages are newest first; pages can overlap when events arrive between two requests.
        return [.. events.DistinctBy(e => e.EventId).Reverse()];
    }

    /// <summary>
    /// When the operation begun with <paramref name="clientRequestToken"/> started, by CloudFormation's clock: the time of
    /// its oldest event (CloudFormation tags every event of an operation with its token). Null when the stack's newest
    /// event does not carry the token, i.e. the operation never reached CloudFormation. Pass it as
    /// <see cref="WatchRequest.Since"/> to resume watching an operation a crash interrupted, even one that has ended.
    /// </summary>
    public static async Task<DateTime?> OperationStartAsync(
        ICloudFormation cloudFormation, string stackName, string clientRequestToken, CancellationToken cancellationToken)
    {
        DateTime? start = null;
        string? nextToken = null;
        do
        {
            // Newest first, and only one operation runs on a stack at a time: its events are the newest ones.
            var page = await cloudFormation.DescribeStackEventsAsync(
                new DescribeStackEventsRequest { StackName = stackName, NextToken = nextToken }, cancellationToken);
            foreach (var e in page.StackEvents)
            {
                if (e.ClientRequestToken != clientRequestToken)
                    return start;
                start = e.Timestamp;
            }
            nextToken = page.NextToken;
        }
        while (nextToken is not null);
        return start;
    }

    /// <summary>
    /// Polls until the stack reaches a terminal status that belongs to this operation, then polls once more
    /// so that the last events are not lost, and ends with an update carrying the <see cref="WatchOutcome"/>. With
    /// <see cref="WatchRequest.WaitForPush"/> it polls only to reconcile, and once more when the push says the stack settled.
    /// Transient failures (throttling, 5xx, unreachable endpoint) are reported as <see cref="WatchUpdate.Retrying"/>
    /// and retried until <see cref="WatchOptions.GiveUpAfter"/>, and so is a poll still unanswered after
    /// <see cref="WatchOptions.SlowPollAfter"/>; any other error ends the watch.
    /// </summary>
    public async IAsyncEnumerable<WatchUpdate> WatchAsync(
        ICloudFormation cloudFormation, WatchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var since = request.Since.ToUniversalTime();
        var history = request.KnownEvents.OrderBy(e => e.Timestamp).ToList();
        var seen = history.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        // A terminal status counts only once this operation visibly started; right after ExecuteChangeSet
        // DescribeStacks may still report the previous operation's final status.
        var started = history.Any(e => e.IsStackEvent);

        Stack? terminal = null;
        string? status = null;
        var interval = _options.ActiveInterval;
        DateTimeOffset? failingSince = null;
        var slowPoll = false;
        while (true)
        {
            IReadOnlyList<StackEvent> fresh = [];
            Stack? stack = null;
            Exception? failure = null;
            async Task PollAsync()
            {
                try
                {
                    fresh = await FetchNewEventsAsync(cloudFormation, request.StackName, since, seen, cancellationToken);
                    if (terminal is null)
                        stack = await DescribeAsync(cloudFormation, request.StackName, cancellationToken);
                }
                catch (Exception ex) when (CloudFormationException.IsTransientFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    failure = ex;
                }
            }

            var poll = PollAsync();
            if (!poll.IsCompleted)
            {
                // An endpoint that stopped answering keeps a poll waiting for the client's AttemptTimeout (and again for
                // each retry): say so while it lasts, so that the deploy does not look frozen.
                var waitingSince = _time.GetUtcNow();
                using var slow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                while (await Task.WhenAny(poll, Task.Delay(_options.SlowPollAfter, _time, slow.Token)) != poll)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    slowPoll = true;
                    yield return Update([], status, history, request, retrying: new TimeoutException(
                        $"CloudFormation has not answered for {(_time.GetUtcNow() - waitingSince).TotalSeconds:0} s; still trying."));
                }
                await slow.CancelAsync();
            }
            await poll;
            history.AddRange(fresh);
            started |= fresh.Any(e => e.IsStackEvent);

            if (failure is not null)
            {
                failingSince ??= _time.GetUtcNow();
                if (_time.GetUtcNow() - failingSince >= _options.GiveUpAfter)
                    ExceptionDispatchInfo.Throw(failure);
                yield return Update(fresh, status, history, request, retrying: failure);
                // Back off as while quiet: a throttled endpoint needs fewer calls, not the same number again.
                interval = Min(interval * 2, _options.QuietInterval);
                await Task.Delay(interval, _time, cancellationToken);
                continue;
            }
            var recovered = failingSince is not null || slowPoll;
            failingSince = null;
            slowPoll = false;

            if (terminal is not null)
            {
                yield return Update(fresh, status, history, request) with { Outcome = Outcome(terminal, history) };
                yield break;
            }

            var statusChanged = stack!.StackStatus != status;
            status = stack.StackStatus;
            if (fresh.Count > 0 || statusChanged || recovered)
                yield return Update(fresh, status, history, request);

            if (StackStatus.IsTerminal(status) && (started || LastChange(stack) >= since))
            {
                terminal = stack;
                interval = _options.ActiveInterval;
            }
            else
            {
                interval = fresh.Count > 0 ? _options.ActiveInterval : Min(interval * 2, _options.QuietInterval);
            }
            if (terminal is null && request.WaitForPush is { } waitForPush)
                await waitForPush(_options.ReconcileInterval, cancellationToken);
            else
                await Task.Delay(interval, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Pages newest-first until an event already seen or older than <paramref name="since"/>, and returns the
    /// new ones oldest-first. Nothing is marked seen unless every page arrived, so a failed poll loses nothing.
    /// </summary>
    private static async Task<IReadOnlyList<StackEvent>> FetchNewEventsAsync(
        ICloudFormation cloudFormation, string stackName, DateTime since, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var batch = new List<StackEvent>();
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var page = await cloudFormation.DescribeStackEventsAsync(
                new DescribeStackEventsRequest { StackName = stackName, NextToken = nextToken }, cancellationToken);
            var reachedKnown = false;
            foreach (var e in page.StackEvents)
            {
                if (seen.Contains(e.EventId) || e.Timestamp < since)
                {
                    reachedKnown = true;
                    break;
                }
                // Pages can overlap when events arrive between two page requests.
                if (batchIds.Add(e.EventId))
                    batch.Add(e);
            }
            nextToken = reachedKnown ? null : page.NextToken;
        }
        while (nextToken is not null);
        batch.Reverse();
        seen.UnionWith(batchIds);
        return batch;
    }

    private static async Task<Stack> DescribeAsync(ICloudFormation cloudFormation, string stackName, CancellationToken cancellationToken)
    {
        var response = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackName }, cancellationToken);
        return response.Stacks.FirstOrDefault()
               ?? throw new CloudFormationException("DescribeStacks", "ValidationError",
                   $"Stack with id {stackName} does not exist", response.RequestId, System.Net.HttpStatusCode.BadRequest);
    }

    private static WatchUpdate Update(
        IReadOnlyList<StackEvent> fresh, string? status, List<StackEvent> history, WatchRequest request, Exception? retrying = null)
    {
        var settled = history
            .Where(e => !e.IsStackEvent && e.LogicalResourceId is not null)
            .GroupBy(e => e.LogicalResourceId)
            .Count(g => StackStatus.IsSettledResourceStatus(g.Last().ResourceStatus));
        return new WatchUpdate
        {
            NewEvents = fresh,
            StackStatus = status,
            Settled = request.TotalResources is { } total ? Math.Min(settled, total) : settled,
            Total = request.TotalResources,
            Retrying = retrying,
        };
    }

    private static WatchOutcome Outcome(Stack stack, List<StackEvent> history)
    {
        var succeeded = StackStatus.IsSuccess(stack.StackStatus);
        return new WatchOutcome
        {
            StackId = stack.StackId,
            StackStatus = stack.StackStatus,
            Succeeded = succeeded,
            StackStatusReason = stack.StackStatusReason,
            RootCause = succeeded ? null : RootCause.Find(history, stack.StackName, stack.StackStatusReason),
            Outputs = stack.Outputs,
        };
    }

    private static DateTime LastChange(Stack stack) =>
        new[] { stack.CreationTime, stack.LastUpdatedTime ?? default, stack.DeletionTime ?? default }.Max();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
