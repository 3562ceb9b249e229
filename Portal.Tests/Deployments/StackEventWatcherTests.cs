using System.Net;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using static Portal.Tests.Deployments.ScriptedStack;

namespace Portal.Tests.Deployments;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class StackEventWatcherTests
{
    private const string Vpc = "AWS::EC2::VPC", SecurityGroup = "AWS::EC2::SecurityGroup", Service = "AWS::ECS::Service";
    private const string RealFailure = "Resource handler returned message: \"Invalid request provided: CannotPullContainerError: backend:fail-1 not found\"";

    private static readonly StackEvent[] PreviousOperation =
    [
        StackLine(-3600, "UPDATE_IN_PROGRESS", "User Initiated"),
        Event(-3590, "Vpc", Vpc, "UPDATE_FAILED", "an old failure that is not this operation's"),
        StackLine(-3500, "UPDATE_ROLLBACK_COMPLETE"),
    ];

    private static StackEventWatcher Watcher(TimeSpan? giveUpAfter = null) => new(new WatchOptions
    {
        ActiveInterval = TimeSpan.Zero,
        QuietInterval = TimeSpan.Zero,
        GiveUpAfter = giveUpAfter ?? TimeSpan.FromMinutes(15),
    });

    private static WatchRequest Request(int? total = 3, params StackEvent[] known) =>
        new() { StackName = Id, Since = T0, TotalResources = total, KnownEvents = known };

    private static async Task<List<WatchUpdate>> WatchToEnd(ICloudFormation stack, WatchRequest request, StackEventWatcher? watcher = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = new List<WatchUpdate>();
        await foreach (var update in (watcher ?? Watcher()).WatchAsync(stack, request, deadline.Token))
            updates.Add(update);
        return updates;
    }

    /// <summary>A create: three resources, events spread over polls, one quiet poll.</summary>
    private static ScriptedStack SuccessfulCreate(int pageSize = 2) =>
        new ScriptedStack("REVIEW_IN_PROGRESS", PreviousOperation) { PageSize = pageSize, Outputs = [new Output { OutputKey = "PublicUrl", OutputValue = "http://orders-dev.elb.example" }] }
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"), Event(2, "Vpc", Vpc, "CREATE_IN_PROGRESS"))
            .Then(null, Event(3, "Vpc", Vpc, "CREATE_IN_PROGRESS", "Resource creation Initiated"), Event(3, "WebSg", SecurityGroup, "CREATE_IN_PROGRESS"))
            .Quiet()
            .Then(null, Event(5, "Vpc", Vpc, "CREATE_COMPLETE"), Event(5, "WebSg", SecurityGroup, "CREATE_IN_PROGRESS", "Resource creation Initiated"),
                Event(6, "WebSg", SecurityGroup, "CREATE_COMPLETE"), Event(6, "Frontend", Service, "CREATE_IN_PROGRESS"), Event(8, "Frontend", Service, "CREATE_COMPLETE"))
            .Then("CREATE_COMPLETE", StackLine(9, "CREATE_COMPLETE"));

    /// <summary>A create whose backend service fails; its neighbour is cancelled; the stack rolls back.</summary>
    private static ScriptedStack FailedCreate() =>
        new ScriptedStack("REVIEW_IN_PROGRESS", PreviousOperation) { PageSize = 2 }
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"), Event(2, "Vpc", Vpc, "CREATE_IN_PROGRESS"), Event(3, "Vpc", Vpc, "CREATE_COMPLETE"))
            .Then(null, Event(4, "Backend", Service, "CREATE_IN_PROGRESS"), Event(4, "Frontend", Service, "CREATE_IN_PROGRESS"))
            .Then(new Step(
                [Event(6, "Backend", Service, "CREATE_FAILED", RealFailure), Event(7, "Frontend", Service, "CREATE_FAILED", "Resource creation cancelled"),
                 StackLine(8, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Frontend, Backend]. Rollback requested by user.")],
                "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Frontend, Backend]. Rollback requested by user."))
            .Then(null, Event(9, "Frontend", Service, "DELETE_COMPLETE"), Event(9, "Backend", Service, "DELETE_COMPLETE"), Event(10, "Vpc", Vpc, "DELETE_IN_PROGRESS"))
            .Then("ROLLBACK_COMPLETE", Event(11, "Vpc", Vpc, "DELETE_COMPLETE"), StackLine(12, "ROLLBACK_COMPLETE"));

    [Fact]
    public async Task EveryEventOfTheOperationIsHandedOnOnceOldestFirstAcrossPages()
    {
        var stack = SuccessfulCreate(pageSize: 2);
        var expected = stack.EventIdsSince(T0);

        var updates = await WatchToEnd(stack, Request());

        Assert.Equal(expected, updates.SelectMany(u => u.NewEvents).Select(e => e.EventId));
        Assert.True(updates.Count(u => u.NewEvents.Count > 0) > 2, "events arrive over several polls");
        var outcome = updates[^1].Outcome!;
        Assert.True(outcome.Succeeded);
        Assert.Equal("CREATE_COMPLETE", outcome.StackStatus);
        Assert.Equal(Id, outcome.StackId);
        Assert.Null(outcome.RootCause);
        Assert.Equal("http://orders-dev.elb.example", outcome.Outputs.Single().OutputValue);
        Assert.All(updates[..^1], u => Assert.Null(u.Outcome));
    }

    [Fact]
    public async Task ProgressCountsResourcesThatStoppedChangingOutOfTheChangeSet()
    {
        var updates = await WatchToEnd(SuccessfulCreate(), Request(total: 3));

        var settled = updates.Select(u => u.Settled).ToList();
        Assert.Equal(settled.Order(), settled);
        Assert.Equal(0, settled[0]);
        Assert.Equal(3, settled[^1]);
        Assert.All(updates, u => Assert.Equal(3, u.Total));
        Assert.Equal(["CREATE_IN_PROGRESS", "CREATE_COMPLETE"], updates.Select(u => u.StackStatus).Distinct());
    }

    [Fact]
    public async Task ThePollAfterTheTerminalStatusDeliversTheEventsThatCameLate()
    {
        var stack = new ScriptedStack("REVIEW_IN_PROGRESS")
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"), Event(2, "Vpc", Vpc, "CREATE_IN_PROGRESS"))
            // DescribeStacks already says CREATE_COMPLETE; the last events only show up one poll later.
            .Then("CREATE_COMPLETE")
            .Then(null, Event(3, "Vpc", Vpc, "CREATE_COMPLETE"), StackLine(4, "CREATE_COMPLETE"));

        var updates = await WatchToEnd(stack, Request(total: 1));

        Assert.Equal(["Vpc-CREATE_COMPLETE-3", $"{Name}-CREATE_COMPLETE-4"], updates[^1].NewEvents.Select(e => e.EventId));
        Assert.True(updates[^1].Outcome!.Succeeded);
        Assert.Equal(1, updates[^1].Settled);
        Assert.Equal(0, stack.StepsLeft);
    }

    [Fact]
    public async Task ThePreviousOperationsFinalStatusDoesNotEndTheWatch()
    {
        // Right after ExecuteChangeSet, DescribeStacks can still report how the last update ended.
        var stack = new ScriptedStack("UPDATE_COMPLETE") { LastUpdated = T0.AddDays(-1) }
            .Quiet()
            .Quiet()
            .Then("UPDATE_IN_PROGRESS", StackLine(1, "UPDATE_IN_PROGRESS", "User Initiated"))
            .Then("UPDATE_COMPLETE", Event(2, "Frontend", Service, "UPDATE_IN_PROGRESS"), Event(3, "Frontend", Service, "UPDATE_COMPLETE"), StackLine(4, "UPDATE_COMPLETE"));

        var updates = await WatchToEnd(stack, Request(total: 1));

        Assert.Equal(4, updates.SelectMany(u => u.NewEvents).Count());
        Assert.Equal(0, stack.StepsLeft);
        Assert.True(updates[^1].Outcome!.Succeeded);
    }

    [Fact]
    public async Task AFailureIsExplainedByTheFirstResourceThatFailedNotByTheStackSummaryOrCancellations()
    {
        var updates = await WatchToEnd(FailedCreate(), Request());

        var outcome = updates[^1].Outcome!;
        Assert.False(outcome.Succeeded);
        Assert.Equal("ROLLBACK_COMPLETE", outcome.StackStatus);
        Assert.Equal(new RootCause
        {
            LogicalResourceId = "Backend",
            ResourceType = Service,
            ResourceStatus = "CREATE_FAILED",
            Reason = RealFailure,
            Timestamp = T0.AddSeconds(6),
        }, outcome.RootCause);
        Assert.StartsWith("The following resource(s) failed", outcome.StackStatusReason);
    }

    [Fact]
    public async Task AWatchRestartedWithTheStoredEventsResumesWithoutDuplicatesOrGaps()
    {
        var stack = FailedCreate();
        var expected = stack.EventIdsSince(T0);
        var stored = new List<StackEvent>();

        // The first watch is stopped (a deploy job restarted) after the failure was seen but before the end.
        using (var stop = new CancellationTokenSource())
        {
            await foreach (var update in Watcher().WatchAsync(stack, Request(), stop.Token))
            {
                stored.AddRange(update.NewEvents);
                if (stored.Any(e => e.ResourceStatus == "CREATE_FAILED"))
                    break;
            }
        }
        Assert.NotEqual(0, stack.StepsLeft);

        var resumed = await WatchToEnd(stack, Request(total: 3, known: stored.ToArray()));

        Assert.Equal(expected, stored.Concat(resumed.SelectMany(u => u.NewEvents)).Select(e => e.EventId));
        Assert.Equal("Backend", resumed[^1].Outcome!.RootCause!.LogicalResourceId);
    }

    [Fact]
    public async Task AnUnreachableOrThrottlingEndpointIsReportedAsRetryingAndNothingIsLost()
    {
        var stack = new ScriptedStack("REVIEW_IN_PROGRESS", PreviousOperation)
        {
            PageSize = 2,
            Fault = (action, call) => call switch
            {
                2 or 3 => new HttpRequestException("Connection refused"),
                6 => Throttled(action),
                8 => new TimeoutException("no answer"),
                _ => null,
            },
        }
            .Then("CREATE_IN_PROGRESS", StackLine(1, "CREATE_IN_PROGRESS", "User Initiated"), Event(2, "Vpc", Vpc, "CREATE_IN_PROGRESS"), Event(2, "Sg", SecurityGroup, "CREATE_IN_PROGRESS"))
            .Then(null, Event(3, "Vpc", Vpc, "CREATE_COMPLETE"), Event(3, "Sg", SecurityGroup, "CREATE_COMPLETE"))
            .Then("CREATE_COMPLETE", StackLine(4, "CREATE_COMPLETE"));
        var expected = stack.EventIdsSince(T0);

        var updates = await WatchToEnd(stack, Request(total: 2));

        Assert.Equal(expected, updates.SelectMany(u => u.NewEvents).Select(e => e.EventId));
        var retrying = updates.Where(u => u.Retrying is not null).ToList();
        Assert.Contains(retrying, u => u.Retrying is HttpRequestException);
        Assert.Contains(retrying, u => u.Retrying is CloudFormationException { IsThrottling: true });
        Assert.Contains(retrying, u => u.Retrying is TimeoutException);
        Assert.Null(updates[^1].Retrying);
        // Every retrying spell is followed by an update that clears it.
        for (var i = 0; i < updates.Count; i++)
            if (updates[i].Retrying is not null)
                Assert.Contains(updates.Skip(i + 1), u => u.Retrying is null);
        Assert.True(updates[^1].Outcome!.Succeeded);
    }

    [Fact]
    public async Task AnEndpointThatStaysUnreachableEndsTheWatchWithItsError()
    {
        var stack = new ScriptedStack("CREATE_IN_PROGRESS") { Fault = (_, _) => new HttpRequestException("Connection refused") };

        await Assert.ThrowsAsync<HttpRequestException>(() => WatchToEnd(stack, Request(), Watcher(giveUpAfter: TimeSpan.Zero)));
    }

    [Fact]
    public async Task AnErrorThatRetryingCannotFixEndsTheWatch()
    {
        var stack = new ScriptedStack("CREATE_IN_PROGRESS")
        {
            Fault = (action, _) => action == "DescribeStacks"
                ? new CloudFormationException(action, "AccessDenied", "not allowed", "r", HttpStatusCode.Forbidden)
                : null,
        };

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => WatchToEnd(stack, Request()));

        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public async Task TheStartOfADeleteIsTakenJustAfterTheNewestExistingEvent()
    {
        var stack = new ScriptedStack("UPDATE_COMPLETE", PreviousOperation);

        var since = await StackEventWatcher.AfterNewestEventAsync(stack, Id, CancellationToken.None);

        Assert.Equal(T0.AddSeconds(-3500).AddTicks(1), since);
    }
}
