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
/// event is stored once, the copies SQS delivers again included, and every message is deleted.
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
        var stackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-competing/1a2b3c4d";
        var bodies = Enumerable.Range(0, Events).Select(i => PushedStackEventTests.ResourceEvent(
            time: new DateTime(2026, 12, 7, 12, 0, i, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            id: $"event-{i}", stackId: stackId, token: $"portal-execute-{revision.Id}", logicalId: $"Resource{i}")).ToList();
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
            await Poll.UntilAsync(async () =>
            {
                var attributes = await sender.GetQueueAttributesAsync(new GetQueueAttributesRequest
                {
                    QueueUrl = queueUrl,
                    AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
                });
                return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible == 0;
            }, "the readers to take every message", 60);
        }
        finally
        {
            foreach (var reader in readers) await reader.StopAsync(CancellationToken.None);
        }

        await using var db = NewDb();
        var stored = await db.StackEvents.Where(e => e.RevisionId == revision.Id).Select(e => e.LogicalResourceId).ToListAsync();
        Assert.Equal(Enumerable.Range(0, Events).Select(i => $"Resource{i}").Order(), stored.Order());
    }
}
