using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infra.Intake;
using Portal.Jobs.Environments;
using Portal.Jobs.StackEvents;
using Portal.Tests.Workflow;
using CfnStackEvent = Portal.Infra.CloudFormation.StackEvent;

namespace Portal.Tests.Intake;

/// <summary>
/// One CloudFormation event is one stored event, whichever way it came: by push, by polling, or both in either order,
/// the push delivered twice; and an intake message is deleted only once it is done with.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
[Trait(Lanes.Database, Lanes.Stored)]
public sealed class StackEventMatchTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTime Second = new(2026, 12, 7, 12, 0, 5, DateTimeKind.Utc);

    private async Task<(ManagedEnvironment Environment, int RevisionId)> EnvironmentAsync(string name)
    {
        var revision = await SubmitAsync(name);
        await using var db = NewDb();
        return (await db.Environments.SingleAsync(e => e.Name == name), revision.Id);
    }

    private static string StackId(ManagedEnvironment environment) =>
        $"arn:aws:cloudformation:us-east-1:123456789012:stack/{environment.StackName}/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

    private static CfnStackEvent Polled(ManagedEnvironment environment, string eventId, DateTime at, string status = "CREATE_COMPLETE", string logicalId = "Vpc") => new()
    {
        EventId = eventId,
        StackId = StackId(environment),
        StackName = environment.StackName,
        LogicalResourceId = logicalId,
        PhysicalResourceId = "vpc-0abc",
        ResourceType = "AWS::EC2::VPC",
        Timestamp = at,
        ResourceStatus = status,
    };

    private static string Message(ManagedEnvironment environment, int revisionId, string id, DateTime at, string status = "CREATE_COMPLETE", string logicalId = "Vpc") =>
        PushedStackEventTests.ResourceEvent(status, at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), id,
            StackId(environment), $"portal-execute-{revisionId}", logicalId);

    private async Task<IReadOnlyList<string>> PushAsync(params string[] bodies)
    {
        var store = new StackEventIntakeStore(Get<IDbContextFactory<Portal.Jobs.Data.PortalDb>>(), new StackEventFeed(), NullLogger<StackEventIntakeStore>.Instance);
        return await store.StoreAsync("sandbox", [.. bodies.Select((body, i) => new IntakeMessage(body, $"handle-{i}"))], None);
    }

    private async Task<List<StackEvent>> StoredAsync(ManagedEnvironment environment)
    {
        await using var db = NewDb();
        return await db.StackEvents.Where(e => e.EnvironmentId == environment.Id).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task AnEventPushedThenPolledIsOneEventWithCloudFormationsIdAndTime()
    {
        var (environment, revisionId) = await EnvironmentAsync("push-first");
        Assert.Equal(["handle-0"], await PushAsync(Message(environment, revisionId, "e1", Second)));
        var pushed = Assert.Single(await StoredAsync(environment));
        Assert.True(PushedStackEvent.IsPushed(pushed.EventId));

        var exact = Second.AddMilliseconds(640);
        await using (var db = NewDb())
            Assert.Equal(0, await db.AppendAsync(environment, revisionId, [Polled(environment, "cfn-1", exact)], None));

        var stored = Assert.Single(await StoredAsync(environment));
        Assert.Equal((pushed.Id, "cfn-1", new DateTimeOffset(exact), revisionId), (stored.Id, stored.EventId, stored.Timestamp, stored.RevisionId));

        // The queue delivers the message again (SQS delivers at least once): still one event.
        Assert.Equal(["handle-0"], await PushAsync(Message(environment, revisionId, "e1", Second)));
        Assert.Single(await StoredAsync(environment));
    }

    [Fact]
    public async Task AnEventPolledThenPushedIsStoredOnce()
    {
        var (environment, revisionId) = await EnvironmentAsync("poll-first");
        await using (var db = NewDb())
            Assert.Equal(1, await db.AppendAsync(environment, revisionId, [Polled(environment, "cfn-1", Second.AddMilliseconds(900))], None));

        // Stamped a second later by EventBridge: within the lag, the same event.
        Assert.Equal(["handle-0"], await PushAsync(Message(environment, revisionId, "e1", Second.AddSeconds(1))));

        Assert.Equal("cfn-1", Assert.Single(await StoredAsync(environment)).EventId);
    }

    [Fact]
    public async Task TwoLikeEventsInOneSecondStayTwoEventsWhicheverWayTheyCome()
    {
        var (environment, revisionId) = await EnvironmentAsync("two-alike");
        await PushAsync(Message(environment, revisionId, "e1", Second), Message(environment, revisionId, "e2", Second));
        Assert.Equal(2, (await StoredAsync(environment)).Count);

        await using (var db = NewDb())
            Assert.Equal(0, await db.AppendAsync(environment, revisionId,
                [Polled(environment, "cfn-1", Second.AddMilliseconds(100)), Polled(environment, "cfn-2", Second.AddMilliseconds(700))], None));

        Assert.Equal(["cfn-1", "cfn-2"], (await StoredAsync(environment)).Select(e => e.EventId));
    }

    [Fact]
    public async Task PushedEventsOfOtherResourcesOrStatusesAreEventsOfTheirOwn()
    {
        var (environment, revisionId) = await EnvironmentAsync("distinct");
        await PushAsync(
            Message(environment, revisionId, "e1", Second, status: "CREATE_IN_PROGRESS"),
            Message(environment, revisionId, "e2", Second, logicalId: "PublicAlb"),
            Message(environment, revisionId, "e3", Second));
        await using (var db = NewDb())
            Assert.Equal(1, await db.AppendAsync(environment, revisionId,
                [Polled(environment, "cfn-1", Second.AddMilliseconds(10), "CREATE_IN_PROGRESS"), Polled(environment, "cfn-9", Second.AddMilliseconds(20), logicalId: "Nat")], None));

        var stored = await StoredAsync(environment);
        Assert.Equal(4, stored.Count);
        Assert.Equal(["cfn-1", "cfn-9"], stored.Where(e => !PushedStackEvent.IsPushed(e.EventId)).Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task MessagesTheIntakeCanNeverStoreAreDoneWithAndStoreNothing()
    {
        var (environment, revisionId) = await EnvironmentAsync("foreign");
        var other = await EnvironmentAsync("foreign-other");

        var done = await PushAsync(
            "not an event",
            // A stack no environment of this target has.
            PushedStackEventTests.ResourceEvent(stackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-gone/1a2b", token: $"portal-execute-{revisionId}"),
            // Someone's own operation on the environment's stack, not the portal's.
            PushedStackEventTests.ResourceEvent(stackId: StackId(environment), token: "Console-UpdateStack-7f59c3cf"),
            // Another environment's revision named by the token.
            PushedStackEventTests.ResourceEvent(stackId: StackId(environment), token: $"portal-execute-{other.RevisionId}"));

        Assert.Equal(["handle-0", "handle-1", "handle-2", "handle-3"], done);
        Assert.Empty(await StoredAsync(environment));
    }
}
