using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox's account on disk (Sandbox:DataFolder): what it told its callers outlives its process.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxAccountTests : IDisposable
{
    private const string SmallTemplate = """
        { "Resources": {
            "Queue": { "Type": "AWS::SQS::Queue" },
            "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": { "Ref": "Queue" } } } } }
        """;

    private readonly string _folder = TempFolder.New("sandbox-account");

    public void Dispose() => TempFolder.Delete(_folder);

    private Task<SandboxTestHost> StartAsync() => SandboxTestHost.StartAsync(o => o.DataFolder = _folder);

    private Task<SandboxTestHost> StartAsync(FakeTimeProvider clock) => SandboxTestHost.StartAsync(clock, o => o.DataFolder = _folder);

    [Fact]
    public async Task AStackDeployedBeforeARestartIsFoundAfterItAndAnUpdatePlansOnlyWhatChanged()
    {
        DescribedStack deployed;
        List<StackEventRow> events;
        string changeSetId;
        await using (var before = await StartAsync())
        {
            changeSetId = await before.Api.CreateChangeSetAsync("orders", "create", TwoTierTemplate.Json());
            await before.Api.WaitForChangeSetAsync(changeSetId);
            deployed = new DescribedStack(await before.Api.ExecuteAndWaitAsync(changeSetId, "orders"));
            events = await before.Api.AllEventsAsync("orders");
        }

        await using var after = await StartAsync();
        var found = new DescribedStack(await after.Api.DescribeStackAsync("orders"));
        Assert.Equal(("CREATE_COMPLETE", deployed.Id), (found.Status, found.Id));
        Assert.Equal(deployed.Outputs, found.Outputs);
        Assert.Equal(events, await after.Api.AllEventsAsync("orders"));
        var (executed, _) = await after.Api.WaitForChangeSetAsync(changeSetId);
        Assert.Equal("EXECUTE_COMPLETE", executed.Element(SandboxApi.Ns + "ExecutionStatus")!.Value);

        var update = await after.Api.CreateChangeSetAsync("orders", "new-tag", TwoTierTemplate.Json(frontendTag: "1.5.0"), "UPDATE");
        var (_, changes) = await after.Api.WaitForChangeSetAsync(update);
        var actions = changes.Select(c => (c.Element(SandboxApi.Ns + "Action")!.Value, c.Element(SandboxApi.Ns + "LogicalResourceId")!.Value)).ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal("Modify", a.Item1));
        Assert.True(actions.Count <= 3, $"an image tag changes the task definition and its service, not: {string.Join(", ", actions)}");
    }

    [Fact]
    public async Task ACreateCutShortByARestartFinishesAfterItWithEveryEventOnce()
    {
        var clock = new FakeTimeProvider();
        List<StackEventRow> seen;
        await using (var before = await StartAsync(clock))
        {
            var changeSetId = await before.PlanAsync(clock, "orders", "create", TwoTierTemplate.Json(), "CREATE");
            await before.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
            // Far enough that some resources are done and a NAT gateway (90 s) is under way.
            seen = await SandboxApi.PollAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(5));
                return await before.Api.AllEventsAsync("orders");
            }, e => e.Any(x => x is { ResourceType: "AWS::EC2::NatGateway", ResourceStatusReason: "Resource creation Initiated" }));
        }

        await using var after = await StartAsync(clock);
        Assert.Equal("CREATE_IN_PROGRESS", SandboxApi.Status(await after.Api.DescribeStackAsync("orders")));
        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(await after.SettleAsync(clock, "orders")));

        var events = await after.Api.AllEventsAsync("orders");
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.Subset(events.Select(e => e.EventId).ToHashSet(), seen.Select(e => e.EventId).ToHashSet());
        var resources = TwoTierTemplate.Dependencies(TwoTierTemplate.Json()).Keys;
        foreach (var resource in resources)
            Assert.Equal(["CREATE_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"],
                events.Where(e => e.LogicalResourceId == resource).Reverse().Select(e => e.ResourceStatus));
        Assert.Single(events, e => e.ResourceStatus == "CREATE_COMPLETE" && e.LogicalResourceId == "orders");
    }

    [Fact]
    public async Task ACutShortStackFileCostsOnlyItsOwnStackAndADeletedStackIsStillFoundByItsId()
    {
        string damaged, deletedId;
        await using (var before = await StartAsync())
        {
            damaged = (await before.DeployAsync("damaged", SmallTemplate)).Id;
            await before.DeployAsync("kept", SmallTemplate);
            deletedId = (await before.DeployAsync("deleted", SmallTemplate)).Id;
            await before.Api.CallAsync("DeleteStack", ("StackName", "deleted"));
            await before.Api.WaitForStackAsync(deletedId);
        }
        // As a disk or a hand edit might leave it (the sandbox itself replaces files whole); and a write cut short by a kill.
        var damagedFile = Path.Combine(_folder, SandboxStore.StackFile(damaged));
        var content = await File.ReadAllBytesAsync(damagedFile);
        await File.WriteAllBytesAsync(damagedFile, content[..(content.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(_folder, SandboxStore.StackFile(deletedId) + ".tmp"), "{ \"Name\": ");

        await using var after = await StartAsync();
        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(await after.Api.DescribeStackAsync("kept")));
        Assert.Equal("DELETE_COMPLETE", SandboxApi.Status(await after.Api.DescribeStackAsync(deletedId)));
        var missing = await after.Api.ErrorAsync("DescribeStacks", ("StackName", "damaged"));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError"), (missing.Status, missing.Code));
        Assert.True(File.Exists(damagedFile + ".corrupt"), "the damaged file is kept aside");
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        // The name is free again, as the stack it held is gone.
        Assert.Equal("CREATE_COMPLETE", (await after.DeployAsync("damaged", SmallTemplate)).Status);
    }

    [Fact]
    public async Task ASecondSandboxIsRefusedTheFolderOfARunningOneAndGetsItOnceThatOneStops()
    {
        var first = await StartAsync();
        await first.DeployAsync("kept", SmallTemplate);

        var refused = Assert.Throws<InvalidOperationException>(() => new SandboxCloudFormation(new SandboxOptions { DataFolder = _folder }));
        Assert.Contains("Sandbox:DataFolder", refused.Message);

        await first.DisposeAsync();
        await using var second = await StartAsync();
        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(await second.Api.DescribeStackAsync("kept")));
    }
}
