using System.Threading.Channels;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.Deployments;
using Portal.Infra.Intake;
using Portal.Infra.Targets;

namespace Portal.Jobs.StackEvents;

/// <summary>
/// Reads each target's intake queue (<see cref="Target.StackEventQueueUrl"/>) by long polling, stores the stack events
/// (<see cref="StackEventIntakeStore"/>) and deletes a message only once it is done with. Several processes may read one
/// queue: SQS hands each message to one of them at a time, and one delivered twice is stored once.
/// </summary>
/// <remarks>
/// Per target, <see cref="WatchOptions.IntakeReaders"/> long polls hand what they receive to one store loop, which writes
/// everything waiting in one transaction (up to <see cref="MaxPerStore"/> messages): with hundreds of deploys every write
/// queues for the database's one write turn, so one write per batch of 10 let the queue's backlog grow, while one write
/// for all that arrived meanwhile keeps up.
/// </remarks>
public sealed class StackEventIntake(
    IOptions<TargetOptions> targets, IOptions<WatchOptions> watch, IStackEventQueueClients queues, StackEventIntakeStore store, TimeProvider time,
    ILogger<StackEventIntake> logger)
    : BackgroundService
{
    /// <summary>SQS's longest wait: an idle queue costs one request per 20 s.</summary>
    private const int WaitSeconds = 20;

    /// <summary>The most messages one transaction stores; also how many wait for it (the readers pause beyond that).</summary>
    private const int MaxPerStore = 200;

    /// <summary>DeleteMessageBatch's limit.</summary>
    private const int MaxPerDelete = 10;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1), LastBackoff = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(targets.Value
            .Where(t => !string.IsNullOrWhiteSpace(t.Value.StackEventQueueUrl))
            .Select(t => IntakeAsync(t.Key, t.Value.StackEventQueueUrl!, stoppingToken)));

    private Task IntakeAsync(string target, string queueUrl, CancellationToken stoppingToken)
    {
        var sqs = queues.For(target)!;
        var received = Channel.CreateBounded<IntakeMessage>(new BoundedChannelOptions(MaxPerStore) { SingleReader = true });
        var readers = Enumerable.Range(0, Math.Max(1, watch.Value.IntakeReaders)).Select(_ => ReceiveAsync(sqs, target, queueUrl, received.Writer, stoppingToken));
        return Task.WhenAll(readers.Append(StoreAsync(sqs, target, queueUrl, received.Reader, stoppingToken)));
    }

    private async Task ReceiveAsync(IAmazonSQS sqs, string target, string queueUrl, ChannelWriter<IntakeMessage> received, CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = WaitSeconds,
                    MessageSystemAttributeNames = [SentTimestamp],
                }, stoppingToken);
                if (backoff > FirstBackoff)
                    logger.LogInformation("Reading target {Target}'s intake queue again", target);
                backoff = FirstBackoff;
                foreach (var message in response.Messages ?? [])
                    await received.WriteAsync(new IntakeMessage(message.Body, message.ReceiptHandle, SentAt(message)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Pages go on by the reconciling polls meanwhile; messages not deleted come back after their visibility timeout.
                if (backoff == FirstBackoff)
                    logger.LogWarning(e, "Cannot read target {Target}'s intake queue; retrying", target);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = backoff * 2 < LastBackoff ? backoff * 2 : LastBackoff;
            }
        }
    }

    /// <summary>Stores everything the readers received meanwhile in one go, then deletes what is done with.</summary>
    private async Task StoreAsync(IAmazonSQS sqs, string target, string queueUrl, ChannelReader<IntakeMessage> received, CancellationToken stoppingToken)
    {
        var waiting = new List<IntakeMessage>(MaxPerStore);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await received.WaitToReadAsync(stoppingToken))
                    return;
                while (waiting.Count < MaxPerStore && received.TryRead(out var message))
                    waiting.Add(message);
                var done = await store.StoreAsync(target, waiting, stoppingToken);
                await Task.WhenAll(done.Chunk(MaxPerDelete).Select(handles => DeleteAsync(sqs, target, queueUrl, handles, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not deleted: SQS delivers them again after their visibility timeout, and they are stored then.
                logger.LogWarning(e, "Could not finish with {Count} messages of target {Target}'s intake queue", waiting.Count, target);
                await Task.Delay(FirstBackoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            waiting.Clear();
        }
    }

    private const string SentTimestamp = "SentTimestamp";

    /// <summary>When the message was sent to the queue: epoch milliseconds, as SQS gives it.</summary>
    private static DateTime? SentAt(Message message) =>
        message.Attributes?.TryGetValue(SentTimestamp, out var sent) == true && long.TryParse(sent, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
            : null;

    private async Task DeleteAsync(IAmazonSQS sqs, string target, string queueUrl, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
    {
        var response = await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. receiptHandles.Select((handle, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), handle))],
        }, cancellationToken);
        // Not deleted: delivered again after the visibility timeout, and then found stored already.
        foreach (var failed in response.Failed ?? [])
            logger.LogWarning("Target {Target}'s intake queue did not delete a message: {Code} {Message}", target, failed.Code, failed.Message);
    }
}
