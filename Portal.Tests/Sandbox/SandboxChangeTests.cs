using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using static Portal.Tests.Sandbox.SandboxApi;

namespace Portal.Tests.Sandbox;

/// <summary>What the sandbox makes of hand-written templates: replacement on a type change, order from Fn::Sub.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxChangeTests
{
    private const string StackName = "orders-dev";

    [Fact]
    public async Task ChangingAResourcesTypeIsAModifyThatReplacesItAndTheUpdateReplacesIt()
    {
        await using var host = await SandboxTestHost.StartAsync();
        const string logs = """{ "Resources": { "Store": { "Type": "AWS::Logs::LogGroup", "Properties": {} }, "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": {} } } }""";
        var created = await host.DeployAsync(StackName, logs);
        Assert.Equal("CREATE_COMPLETE", created.Status);
        var oldStore = (await host.Api.AllEventsAsync(StackName)).First(e => e.LogicalResourceId == "Store").PhysicalResourceId;

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "new-type",
            logs.Replace("AWS::Logs::LogGroup", "AWS::SQS::Queue", StringComparison.Ordinal), type: "UPDATE");
        var (_, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);

        var store = Assert.Single(changes);
        Assert.Equal(("Modify", "Store", "AWS::SQS::Queue", "True"), (Value(store, "Action"), Value(store, "LogicalResourceId"),
            Value(store, "ResourceType"), Value(store, "Replacement")));
        var updated = await host.Api.ExecuteAndWaitAsync(changeSetId, StackName);
        Assert.Equal("UPDATE_COMPLETE", Status(updated));
        var events = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().Where(e => e.LogicalResourceId == "Store").ToList();
        Assert.Contains(events, e => e.ResourceStatus == "UPDATE_IN_PROGRESS" && e.ResourceStatusReason?.Contains("requires the creation of a new physical resource") == true);
        Assert.Contains(events, e => e.ResourceStatus == "DELETE_COMPLETE" && e.PhysicalResourceId == oldStore);
        Assert.NotEqual(oldStore, events.Last(e => e.ResourceStatus == "UPDATE_COMPLETE").PhysicalResourceId);
    }

    [Fact]
    public async Task AResourceNamedInAnFnSubStartsOnlyAfterTheOneItNamesCompleted()
    {
        // A clock that moves only when the test moves it: what may start at once is told apart from what must wait.
        var clock = new FakeTimeProvider();
        await using var host = await SandboxTestHost.StartAsync(clock);
        const string template = """
            { "Resources": {
                "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "orders" } },
                "ByRef": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterName": { "Fn::Sub": "${Logs}-cluster" } } },
                "ByAttribute": { "Type": "AWS::ECS::Cluster", "Properties": { "Tags": [ { "Key": "logs", "Value": { "Fn::Sub": "${Logs.Arn}" } } ] } },
                "Escaped": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterName": { "Fn::Sub": "${!Logs}-${AWS::Region}" } } }
            } }
            """;
        var changeSetId = await host.PlanAsync(clock, StackName, "create", template, "CREATE");
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));

        // ${!Logs} is a literal and ${AWS::Region} a pseudo parameter: Escaped depends on nothing and starts with Logs.
        await host.UntilEventAsync(StackName, e => e is { LogicalResourceId: "Logs", ResourceStatusReason: "Resource creation Initiated" });
        await host.UntilEventAsync(StackName, e => e is { LogicalResourceId: "Escaped", ResourceStatusReason: "Resource creation Initiated" });
        var stack = await host.SettleAsync(clock, StackName);

        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(stack));
        var events = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().ToList();
        int Index(string id, string status) => events.FindIndex(e => e.LogicalResourceId == id && e.ResourceStatus == status);
        Assert.True(Index("Logs", "CREATE_COMPLETE") < Index("ByRef", "CREATE_IN_PROGRESS"), "${Logs} did not wait for Logs");
        Assert.True(Index("Logs", "CREATE_COMPLETE") < Index("ByAttribute", "CREATE_IN_PROGRESS"), "${Logs.Arn} did not wait for Logs");
        Assert.Equal("orders-cluster", events.Last(e => e.LogicalResourceId == "ByRef").PhysicalResourceId);
        Assert.Equal("${Logs}-us-east-1", events.Last(e => e.LogicalResourceId == "Escaped").PhysicalResourceId);
    }

    private static string Value(XElement change, string name) => change.Element(Ns + name)!.Value;
}
