using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Infra.Deployments;
using Portal.Infra.Intake;
using Portal.Infra.Targets;
using Portal.Jobs.Data;
using Portal.Jobs.StackEvents;
using Portal.Sandbox;
using Portal.Tests.Sandbox;
using Portal.Tests.Workflow;

namespace Portal.Tests.Intake;

/// <summary>
/// Two portal processes' intakes read one queue as competing consumers into one database (PostgreSQL in its pass): each
/// event is stored once, the copies SQS delivers again included, and every message is deleted. And one intake keeps up
/// with a backlog: what arrives while it writes goes into its next write, not one write per batch of ten.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
[Trait(Lanes.Database, Lanes.Stored)]
public sealed class CompetingIntakeTests : WorkflowTest
{
    private const int Events = 40, Copies = 5;

    private sealed class OneQueue(IAmazonSQS sqs) : IStackEventQueueClients
    {
        public IAmazonSQS For(string targetName) => sqs;
    }

    [Fact]
    public async Task TwoReadersOfOneQueueStoreEachEventOnceAndDeleteEveryMessage()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.002 }, CancellationToken.None);
        var queueUrl = await IntakeQueue.DeployAsync(sandbox);
        var revision = await SubmitAsync("competing");
        var bodies = Bodies("competing", revision.Id, Events);
        using var sender = SandboxQueues.Client(sandbox);
        foreach (var body in bodies.Concat(bodies.Take(Copies)))
            await sender.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body });

        var targets = Options.Create(new TargetOptions { ["sandbox"] = new Target { Kind = TargetKind.Sandbox, StackEventQueueUrl = queueUrl } });
        var readers = Enumerable.Range(0, 2).Select(_ => new StackEventIntake(targets, Options.Create(new WatchOptions()), new OneQueue(SandboxQueues.Client(sandbox)),
            new StackEventIntakeStore(Get<IDbContextFactory<PortalDb>>(), new StackEventFeed(), NullLogger<StackEventIntakeStore>.Instance),
            TimeProvider.System, NullLogger<StackEventIntake>.Instance)).ToList();
        foreach (var reader in readers) await reader.StartAsync(CancellationToken.None);
        try
        {
            await EmptiedAsync(sender, queueUrl);
        }
        finally
        {
            foreach (var reader in readers) await reader.StopAsync(CancellationToken.None);
        }

        await AssertStoredOnceAsync(revision.Id, Events);
    }

    [Fact]
    public async Task ABacklogIsStoredInAFewWritesEachTakingAllThatArrivedMeanwhile()
    {
        const int backlog = 60;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.002 }, CancellationToken.None);
        var queueUrl = await IntakeQueue.DeployAsync(sandbox);
        var revision = await SubmitAsync("backlog");
        using var sender = SandboxQueues.Client(sandbox);
        foreach (var body in Bodies("backlog", revision.Id, backlog))
            await sender.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body });

        // The first write waits until the four long polls have taken every message and wait again on the empty queue (so
        // each handed its batches over): a slow write under load, while the backlog arrives. One write per batch of ten
        // would then make six writes in all.
        var writes = new WriteCounter(Get<IDbContextFactory<PortalDb>>());
        var targets = Options.Create(new TargetOptions { ["sandbox"] = new Target { Kind = TargetKind.Sandbox, StackEventQueueUrl = queueUrl } });
        var intake = new StackEventIntake(targets, Options.Create(new WatchOptions { IntakeReaders = 4 }), new OneQueue(SandboxQueues.Client(sandbox)),
            new StackEventIntakeStore(writes, new StackEventFeed(), NullLogger<StackEventIntakeStore>.Instance),
            TimeProvider.System, NullLogger<StackEventIntake>.Instance);
        await intake.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(async () => (await AttributesAsync(sender, queueUrl)).ApproximateNumberOfMessages == 0 && sandbox.CloudFormation.LongPollsWaiting == 4,
                "the long polls to take every message and wait for more", 60);
            writes.FirstMayGo.SetResult();
            await EmptiedAsync(sender, queueUrl);
        }
        finally
        {
            await intake.StopAsync(CancellationToken.None);
        }

        await AssertStoredOnceAsync(revision.Id, backlog);
        // The held write, then one for all that waited.
        Assert.Equal(2, writes.Count);
    }

    /// <summary>EventBridge's messages for <paramref name="count"/> resource events of the revision's deploy.</summary>
    private static List<string> Bodies(string environment, int revisionId, int count) =>
        [.. Enumerable.Range(0, count).Select(i => PushedStackEventTests.ResourceEvent(
            time: new DateTime(2026, 12, 7, 12, 0, i % 60, DateTimeKind.Utc).AddMinutes(i / 60).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            id: $"event-{i}", stackId: $"arn:aws:cloudformation:us-east-1:123456789012:stack/portal-{environment}/1a2b3c4d",
            token: $"portal-execute-{revisionId}", logicalId: $"Resource{i}"))];

    private static Task<GetQueueAttributesResponse> AttributesAsync(IAmazonSQS sqs, string queueUrl) =>
        sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });

    /// <summary>Until every message was taken and deleted.</summary>
    private static Task EmptiedAsync(IAmazonSQS sqs, string queueUrl) =>
        Poll.UntilAsync(async () =>
        {
            var attributes = await AttributesAsync(sqs, queueUrl);
            return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible == 0;
        }, "the readers to take every message", 60);

    private async Task AssertStoredOnceAsync(int revisionId, int count)
    {
        await using var db = NewDb();
        var stored = await db.StackEvents.Where(e => e.RevisionId == revisionId).Select(e => e.LogicalResourceId).ToListAsync();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"Resource{i}").Order(), stored.Order());
    }

    /// <summary>Counts the intake store's writes (each opens one context); holds the first until <see cref="FirstMayGo"/>.</summary>
    private sealed class WriteCounter(IDbContextFactory<PortalDb> databases) : IDbContextFactory<PortalDb>
    {
        private int _count;

        public TaskCompletionSource FirstMayGo { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public PortalDb CreateDbContext() => throw new NotSupportedException("the intake store opens its contexts asynchronously");

        public async Task<PortalDb> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _count) == 1)
                await FirstMayGo.Task.WaitAsync(cancellationToken);
            return await databases.CreateDbContextAsync(cancellationToken);
        }
    }
}
