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
public sealed class StackEventIntake(
    IOptions<TargetOptions> targets, IOptions<WatchOptions> watch, IStackEventQueueClients queues, StackEventIntakeStore store, TimeProvider time,
    ILogger<StackEventIntake> logger)
    : BackgroundService
{
    /// <summary>SQS's longest wait: an idle queue costs one request per 20 s.</summary>
    private const int WaitSeconds = 20;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1), LastBackoff = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(targets.Value
            .Where(t => !string.IsNullOrWhiteSpace(t.Value.StackEventQueueUrl))
            .SelectMany(t => Enumerable.Range(0, Math.Max(1, watch.Value.IntakeReaders)).Select(_ => ReadAsync(t.Key, t.Value.StackEventQueueUrl!, stoppingToken))));

    private async Task ReadAsync(string target, string queueUrl, CancellationToken stoppingToken)
    {
        var sqs = queues.For(target)!;
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = WaitSeconds,
                    MessageSystemAttributeNames = [SentTimestamp],
                }, stoppingToken);
                if (backoff > FirstBackoff)
                    logger.LogInformation("Reading target {Target}'s intake queue again", target);
                backoff = FirstBackoff;
                if (received.Messages is not { Count: > 0 } messages)
                    continue;
                var done = await store.StoreAsync(target, [.. messages.Select(m => new IntakeMessage(m.Body, m.ReceiptHandle, SentAt(m)))], stoppingToken);
                await DeleteAsync(sqs, target, queueUrl, done, stoppingToken);
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

    private const string SentTimestamp = "SentTimestamp";

    /// <summary>When the message was sent to the queue: epoch milliseconds, as SQS gives it.</summary>
    private static DateTime? SentAt(Message message) =>
        message.Attributes?.TryGetValue(SentTimestamp, out var sent) == true && long.TryParse(sent, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
            : null;

    private async Task DeleteAsync(IAmazonSQS sqs, string target, string queueUrl, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
    {
        if (receiptHandles.Count == 0) return;
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
