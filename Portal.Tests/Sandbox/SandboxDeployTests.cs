using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Portal.Tests.Sandbox;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxDeployTests
{
    private static readonly XNamespace Ns = SandboxApi.Ns;
    private const string StackName = "orders-dev";

    [Fact]
    public async Task ChangeSetForANewStackListsEveryResourceAsAddAcrossPages()
    {
        await using var host = await SandboxTestHost.StartAsync(o => o.ChangesPageSize = 5);
        var template = TwoTierTemplate.Json();

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "plan-1", template);
        Assert.Equal("REVIEW_IN_PROGRESS", SandboxApi.Status(await host.Api.DescribeStackAsync(StackName)));
        var (changeSet, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);

        Assert.Equal("CREATE_COMPLETE", changeSet.Element(Ns + "Status")!.Value);
        Assert.Equal("AVAILABLE", changeSet.Element(Ns + "ExecutionStatus")!.Value);
        var declared = JsonNode.Parse(template)!["Resources"]!.AsObject()
            .ToDictionary(r => r.Key, r => r.Value!["Type"]!.ToString());
        Assert.Equal(declared.Keys.Order(), changes.Select(c => c.Element(Ns + "LogicalResourceId")!.Value).Order());
        Assert.All(changes, c =>
        {
            Assert.Equal("Add", c.Element(Ns + "Action")!.Value);
            Assert.Equal(declared[c.Element(Ns + "LogicalResourceId")!.Value], c.Element(Ns + "ResourceType")!.Value);
            Assert.Null(c.Element(Ns + "Replacement"));
        });
    }

    [Fact]
    public async Task ExecutingCreatesEachResourceAfterItsDependenciesAndResolvesOutputs()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var template = TwoTierTemplate.Json();

        var stack = await host.DeployAsync(StackName, template);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var events = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().ToList();
        Assert.Equal(
            [("REVIEW_IN_PROGRESS", "User Initiated"), ("CREATE_IN_PROGRESS", "User Initiated"), ("CREATE_COMPLETE", null)],
            events.Where(e => e.IsStack).Select(e => (e.ResourceStatus, e.ResourceStatusReason)));
        foreach (var resource in events.Where(e => !e.IsStack).GroupBy(e => e.LogicalResourceId))
            Assert.Equal(
                [("CREATE_IN_PROGRESS", null), ("CREATE_IN_PROGRESS", "Resource creation Initiated"), ("CREATE_COMPLETE", null)],
                resource.Select(e => (e.ResourceStatus, e.ResourceStatusReason)));

        var completed = events.Select((e, i) => (e, i)).Where(x => x.e.ResourceStatus == "CREATE_COMPLETE" && !x.e.IsStack)
            .ToDictionary(x => x.e.LogicalResourceId, x => x.i);
        foreach (var (resource, dependencies) in TwoTierTemplate.Dependencies(template))
        {
            var start = events.FindIndex(e => e.LogicalResourceId == resource);
            Assert.All(dependencies, dependency => Assert.True(completed[dependency] < start,
                $"{resource} started before its dependency {dependency} completed"));
        }

        var outputs = stack.Outputs;
        Assert.Matches(@"^http://orders-dev-PublicAl-[A-Z0-9]{12}-\d+\.us-east-1\.elb\.amazonaws\.com$", outputs["PublicUrl"]);
        Assert.Matches(@"^http://internal-orders-dev-Internal-[A-Z0-9]{12}-\d+\.us-east-1\.elb\.amazonaws\.com:80$", outputs["BackendUrl"]);
        Assert.Matches(@"^orders-dev-ClusterEB0386A7-[A-Z0-9]{12}$", outputs["ClusterName"]);
        Assert.Equal("app", outputs["PublicAlbKind"]);
        Assert.Equal("us-east-1b", outputs["SecondAz"]);
        Assert.Equal(events.Last(e => e.LogicalResourceId == "Vpc8378EB38").PhysicalResourceId, outputs["VpcId"]);
        Assert.Matches("^vpc-0[0-9a-f]{16}$", outputs["VpcId"]);
        Assert.Equal("orders-dev-PublicUrl", stack.Element.Descendants(Ns + "ExportName").Single().Value);
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:task-definition/orders-dev-frontend:1",
            events.Last(e => e.LogicalResourceId == "FrontendTaskDefinitionB1C2D3E4").PhysicalResourceId);
    }

    [Fact]
    public async Task OutputsRenderParametersConditionsMappingsAndIntrinsicFunctions()
    {
        await using var host = await SandboxTestHost.StartAsync();
        const string template = """
        {
          "Parameters": { "Env": { "Type": "String", "Default": "dev" }, "Zones": { "Type": "CommaDelimitedList", "Default": "a,b,c" } },
          "Mappings": { "Sizes": { "dev": { "Count": "1" }, "prod": { "Count": "3" } } },
          "Conditions": {
            "IsProd": { "Fn::Equals": [ { "Ref": "Env" }, "prod" ] },
            "NotProd": { "Fn::Not": [ { "Condition": "IsProd" } ] } },
          "Resources": {
            "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": { "Fn::If": [ "IsProd", "prod-topic", { "Ref": "AWS::NoValue" } ] } } },
            "ProdOnly": { "Type": "AWS::SNS::Topic", "Condition": "IsProd" } },
          "Outputs": {
            "Count": { "Value": { "Fn::FindInMap": [ "Sizes", { "Ref": "Env" }, "Count" ] } },
            "SecondZone": { "Value": { "Fn::Select": [ 1, { "Ref": "Zones" } ] } },
            "Greeting": { "Value": { "Fn::Sub": [ "${Word}-${AWS::Region}-${AWS::Partition}-${!Literal}", { "Word": { "Ref": "Env" } } ] } },
            "Mode": { "Value": { "Fn::If": [ "NotProd", "test", "live" ] } },
            "ProdTopic": { "Condition": "IsProd", "Value": { "Ref": "ProdOnly" } },
            "TopicArn": { "Value": { "Fn::GetAtt": [ "Topic", "Arn" ] } } }
        }
        """;

        var changeSetId = await host.Api.CreateChangeSetAsync("intrinsics", "create", template);
        var (_, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);
        var stack = new DescribedStack(await host.Api.ExecuteAndWaitAsync(changeSetId, "intrinsics"));

        Assert.Equal(["Topic"], changes.Select(c => c.Element(Ns + "LogicalResourceId")!.Value));
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var outputs = stack.Outputs;
        Assert.Equal(["Count", "Greeting", "Mode", "SecondZone", "TopicArn"], outputs.Keys.Order());
        Assert.Equal(("1", "b", "dev-us-east-1-aws-${Literal}", "test"), (outputs["Count"], outputs["SecondZone"], outputs["Greeting"], outputs["Mode"]));
        Assert.Matches("^arn:aws:sns:us-east-1:123456789012:topic/intrinsics-Topic-[A-Z0-9]{12}$", outputs["TopicArn"]);
    }

    [Fact]
    public async Task UpdateChangeSetReportsModifyReplacementAndRemoveAndExecutesWithCleanup()
    {
        await using var host = await SandboxTestHost.StartAsync();
        await host.DeployAsync(StackName, TwoTierTemplate.Json());
        var eventsBefore = (await host.Api.AllEventsAsync(StackName)).Count;

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "release-1-5-0",
            TwoTierTemplate.Json(frontendTag: "1.5.0", desiredCount: 3, withAccessLogsBucket: false), type: "UPDATE");
        var (_, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);

        var byId = changes.ToDictionary(c => c.Element(Ns + "LogicalResourceId")!.Value);
        Assert.Equal(["AccessLogsBucket83B2C4F1", "FrontendService9F8E7D6C", "FrontendTaskDefinitionB1C2D3E4"], byId.Keys.Order());
        var taskDefinition = byId["FrontendTaskDefinitionB1C2D3E4"];
        Assert.Equal(("Modify", "True"), (taskDefinition.Element(Ns + "Action")!.Value, taskDefinition.Element(Ns + "Replacement")!.Value));
        Assert.Contains(Details(taskDefinition), d => d == ("ContainerDefinitions", "Always", "Static", "DirectModification", null));
        var service = byId["FrontendService9F8E7D6C"];
        Assert.Equal(("Modify", "False"), (service.Element(Ns + "Action")!.Value, service.Element(Ns + "Replacement")!.Value));
        Assert.Equal(
            [("DesiredCount", "Never", "Static", "DirectModification", null),
             ("TaskDefinition", "Never", "Dynamic", "ResourceReference", "FrontendTaskDefinitionB1C2D3E4")],
            Details(service).Order());
        Assert.Equal("Remove", byId["AccessLogsBucket83B2C4F1"].Element(Ns + "Action")!.Value);
        Assert.False(string.IsNullOrEmpty(byId["AccessLogsBucket83B2C4F1"].Element(Ns + "PhysicalResourceId")?.Value));

        var stack = await host.Api.ExecuteAndWaitAsync(changeSetId, StackName);

        Assert.Equal("UPDATE_COMPLETE", SandboxApi.Status(stack));
        Assert.NotNull(stack.Element(Ns + "LastUpdatedTime"));
        var update = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().Skip(eventsBefore).ToList();
        Assert.Equal(["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE"],
            update.Where(e => e.IsStack).Select(e => e.ResourceStatus));
        var cleanupAt = update.FindIndex(e => e.ResourceStatus == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        var replaced = update.Where(e => e.LogicalResourceId == "FrontendTaskDefinitionB1C2D3E4").ToList();
        Assert.Equal("Requested update requires the creation of a new physical resource; hence creating one.", replaced[0].ResourceStatusReason);
        Assert.EndsWith(":1", replaced[0].PhysicalResourceId);
        Assert.Contains(replaced, e => e.ResourceStatus == "UPDATE_COMPLETE" && e.PhysicalResourceId.EndsWith(":2", StringComparison.Ordinal));
        Assert.Contains(update.Skip(cleanupAt), e => e is { ResourceStatus: "DELETE_COMPLETE", LogicalResourceId: "FrontendTaskDefinitionB1C2D3E4" } && e.PhysicalResourceId.EndsWith(":1", StringComparison.Ordinal));
        Assert.Contains(update.Skip(cleanupAt), e => e is { ResourceStatus: "DELETE_COMPLETE", LogicalResourceId: "AccessLogsBucket83B2C4F1" });
        Assert.DoesNotContain(update.Take(cleanupAt), e => e.ResourceStatus.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplacingAResourceMakesImmutableReferencesToItConditional()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var template = TwoTierTemplate.Json();
        await host.DeployAsync(StackName, template);

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "new-cidr",
            template.Replace("\"CidrBlock\": \"10.0.0.0/16\"", "\"CidrBlock\": \"10.1.0.0/16\"", StringComparison.Ordinal), type: "UPDATE");
        var (_, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);

        string Replacement(string id) => changes.Single(c => c.Element(Ns + "LogicalResourceId")!.Value == id).Element(Ns + "Replacement")!.Value;
        Assert.Equal("True", Replacement("Vpc8378EB38"));
        Assert.Equal("Conditional", Replacement("VpcPublicSubnet1Subnet5C2D37C4"));
        Assert.Equal("Conditional", Replacement("FrontendTargetGroup7D3E2B1F"));
        Assert.Equal("False", Replacement("VpcVPCGWBF912B6E"));
        var subnet = changes.Single(c => c.Element(Ns + "LogicalResourceId")!.Value == "VpcPublicSubnet1Subnet5C2D37C4");
        Assert.Equal([("VpcId", "Always", "Dynamic", "ResourceReference", "Vpc8378EB38")], Details(subnet));
    }

    [Fact]
    public async Task DeletingAStackDeletesDependentsFirstAndKeepsItVisibleOnlyById()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var template = TwoTierTemplate.Json();
        var stackId = (await host.DeployAsync(StackName, template)).Id;

        await host.Api.CallAsync("DeleteStack", ("StackName", StackName), ("ClientRequestToken", "destroy-1"));
        await host.Api.CallAsync("DeleteStack", ("StackName", StackName), ("ClientRequestToken", "destroy-1"));
        var deleted = await host.Api.WaitForStackAsync(stackId);

        Assert.Equal("DELETE_COMPLETE", SandboxApi.Status(deleted));
        Assert.NotNull(deleted.Element(Ns + "DeletionTime"));
        var missing = await host.Api.ErrorAsync("DescribeStacks", ("StackName", StackName));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", "Stack with id orders-dev does not exist"), (missing.Status, missing.Code, missing.Message));
        await host.Api.CallAsync("DeleteStack", ("StackName", StackName));

        var events = (await host.Api.AllEventsAsync(stackId)).AsEnumerable().Reverse().ToList();
        Assert.Equal(1, events.Count(e => e is { IsStack: true, ResourceStatus: "DELETE_IN_PROGRESS" }));
        Assert.Equal("DELETE_COMPLETE", events[^1].ResourceStatus);
        Assert.All(events.Where(e => e.ResourceStatus == "DELETE_IN_PROGRESS" && !e.IsStack), e => Assert.Equal("destroy-1", e.ClientRequestToken));
        int Index(string id, string status) => events.FindIndex(e => e.LogicalResourceId == id && e.ResourceStatus == status);
        foreach (var (resource, dependencies) in TwoTierTemplate.Dependencies(template))
            Assert.All(dependencies, dependency => Assert.True(Index(resource, "DELETE_COMPLETE") < Index(dependency, "DELETE_IN_PROGRESS"),
                $"{dependency} was deleted while {resource}, which depends on it, still existed"));
    }

    [Fact]
    public async Task ExecuteRetriedWithTheSameTokenRunsTheChangeSetOnce()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "create", TwoTierTemplate.Json());
        await host.Api.WaitForChangeSetAsync(changeSetId);

        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId), ("ClientRequestToken", "deploy-7"));
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", "create"), ("StackName", StackName), ("ClientRequestToken", "deploy-7"));
        var again = await host.Api.ErrorAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
        var stack = await host.Api.WaitForStackAsync(StackName);

        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(stack));
        Assert.Equal(3, host.Server.CloudFormation.CallCount("ExecuteChangeSet"));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidChangeSetStatus"), (again.Status, again.Code));
        Assert.Matches(@"^ChangeSet \[arn:aws:cloudformation:.*\] cannot be executed in its current execution status of \[EXECUTE_(IN_PROGRESS|COMPLETE)\]$", again.Message);
        var events = await host.Api.AllEventsAsync(StackName);
        Assert.Single(events, e => e is { IsStack: true, ResourceStatus: "CREATE_IN_PROGRESS" });
        Assert.All(events.Where(e => e.ResourceStatus != "REVIEW_IN_PROGRESS"), e => Assert.Equal("deploy-7", e.ClientRequestToken));
        var changeSet = await host.Api.CallAsync("DescribeChangeSet", ("ChangeSetName", changeSetId));
        Assert.Equal("EXECUTE_COMPLETE", changeSet!.Element(Ns + "ExecutionStatus")!.Value);
    }

    [Fact]
    public async Task ChangeSetWithoutChangesFailsWithTheAWSReasonAndCannotBeExecuted()
    {
        await using var host = await SandboxTestHost.StartAsync();
        await host.DeployAsync(StackName, TwoTierTemplate.Json());

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "same-again", TwoTierTemplate.Json(), type: "UPDATE");
        var (changeSet, changes) = await host.Api.WaitForChangeSetAsync(changeSetId);

        Assert.Empty(changes);
        Assert.Equal("FAILED", changeSet.Element(Ns + "Status")!.Value);
        Assert.Equal("UNAVAILABLE", changeSet.Element(Ns + "ExecutionStatus")!.Value);
        Assert.Equal("The submitted information didn't contain changes. Submit different information to create a change set.",
            changeSet.Element(Ns + "StatusReason")!.Value);
        var execute = await host.Api.ErrorAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
        Assert.Equal("InvalidChangeSetStatus", execute.Code);
        await host.Api.CallAsync("DeleteChangeSet", ("ChangeSetName", changeSetId));
        var gone = await host.Api.ErrorAsync("DescribeChangeSet", ("ChangeSetName", changeSetId));
        Assert.Equal((HttpStatusCode.NotFound, "ChangeSetNotFound", $"ChangeSet [{changeSetId}] does not exist"), (gone.Status, gone.Code, gone.Message));
    }

    [Fact]
    public async Task CreateChangeSetRetriedWithItsClientTokenReturnsTheSameChangeSet()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var template = TwoTierTemplate.Json();

        var first = await host.Api.CreateChangeSetAsync(StackName, "plan", template, "CREATE", ("ClientToken", "plan-token-1"));
        var retried = await host.Api.CreateChangeSetAsync(StackName, "plan", template, "CREATE", ("ClientToken", "plan-token-1"));
        var other = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", StackName), ("ChangeSetName", "plan"),
            ("ChangeSetType", "CREATE"), ("TemplateBody", template), ("Capabilities.member.1", "CAPABILITY_IAM"));

        Assert.Equal(first, retried);
        Assert.Equal((HttpStatusCode.BadRequest, "AlreadyExistsException"), (other.Status, other.Code));
    }

    [Fact]
    public async Task StackKeepsTagsRoleAndCapabilitiesOfTheExecutedChangeSet()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "create", TwoTierTemplate.Json(), "CREATE",
            ("RoleARN", "arn:aws:iam::123456789012:role/cfn-exec"), ("Tags.member.1.Key", "portal:environment"), ("Tags.member.1.Value", "orders-dev"));
        await host.Api.WaitForChangeSetAsync(changeSetId);

        var stack = await host.Api.ExecuteAndWaitAsync(changeSetId, StackName);

        Assert.Equal("arn:aws:iam::123456789012:role/cfn-exec", stack.Element(Ns + "RoleARN")!.Value);
        Assert.Equal("CAPABILITY_IAM", stack.Element(Ns + "Capabilities")!.Element(Ns + "member")!.Value);
        var tag = stack.Element(Ns + "Tags")!.Element(Ns + "member")!;
        Assert.Equal(("portal:environment", "orders-dev"), (tag.Element(Ns + "Key")!.Value, tag.Element(Ns + "Value")!.Value));
        Assert.Equal(changeSetId, stack.Element(Ns + "ChangeSetId")!.Value);
    }

    private static List<(string? Name, string Recreation, string Evaluation, string Source, string? Cause)> Details(XElement change) =>
        change.Element(Ns + "Details")!.Elements(Ns + "member").Select(d => (
            d.Element(Ns + "Target")!.Element(Ns + "Name")?.Value,
            d.Element(Ns + "Target")!.Element(Ns + "RequiresRecreation")!.Value,
            d.Element(Ns + "Evaluation")!.Value,
            d.Element(Ns + "ChangeSource")!.Value,
            d.Element(Ns + "CausingEntity")?.Value)).ToList();
}
