using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Sandbox;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxFailureTests
{
    private static readonly XNamespace Ns = SandboxApi.Ns;
    private const string StackName = "orders-dev";
    private const string CircuitBreaker =
        @"^Resource handler returned message: ""Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'\."" " +
        @"\(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: GeneralServiceException\)$";

    [Fact]
    public async Task FailingImageRollsACreateBackWithTheServiceFailureFirst()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var stack = await host.DeployAsync(StackName, TwoTierTemplate.Json(frontendTag: "fail-1.4.3"));

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Empty(stack.Outputs);
        var events = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().ToList();
        var firstFailure = events.First(e => e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal));
        Assert.Equal(("FrontendService9F8E7D6C", "CREATE_FAILED"), (firstFailure.LogicalResourceId, firstFailure.ResourceStatus));
        Assert.Matches(CircuitBreaker, firstFailure.ResourceStatusReason);
        Assert.Equal(["REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"],
            events.Where(e => e.IsStack).Select(e => e.ResourceStatus));
        var rollbackAt = events.FindIndex(e => e.ResourceStatus == "ROLLBACK_IN_PROGRESS");
        Assert.Equal("The following resource(s) failed to create: [FrontendService9F8E7D6C]. Rollback requested by user.",
            events[rollbackAt].ResourceStatusReason);
        var created = events.Take(rollbackAt).Where(e => e.ResourceStatus is "CREATE_COMPLETE" or "CREATE_FAILED").Select(e => e.LogicalResourceId).ToHashSet();
        var deleted = events.Skip(rollbackAt).Where(e => e.ResourceStatus == "DELETE_COMPLETE").Select(e => e.LogicalResourceId).ToHashSet();
        Assert.Equal(created.Order(), deleted.Order());

        var update = await host.Api.ErrorAsync("CreateChangeSet", ("StackName", StackName), ("ChangeSetName", "retry"),
            ("ChangeSetType", "UPDATE"), ("TemplateBody", TwoTierTemplate.Json()), ("Capabilities.member.1", "CAPABILITY_IAM"));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError", $"Stack:{stack.Id} is in ROLLBACK_COMPLETE state and can not be updated."),
            (update.Status, update.Code, update.Message));
    }

    [Fact]
    public async Task FailingServiceCancelsTheResourcesStillInFlight()
    {
        var clock = new FakeTimeProvider();
        await using var host = await SandboxTestHost.StartAsync(clock);
        const string template = """
        { "Resources": {
            "Alb": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": { "Scheme": "internal" } },
            "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
              "ContainerDefinitions": [ { "Name": "app", "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend:fail-2" } ] } },
            "Service": { "Type": "AWS::ECS::Service", "Properties": { "TaskDefinition": { "Ref": "Task" } } } } }
        """;
        var changeSetId = await host.PlanAsync(clock, "cancel-demo", "create", template, "CREATE");
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));

        await host.UntilEventAsync("cancel-demo", e => e is { LogicalResourceId: "Task", ResourceStatusReason: "Resource creation Initiated" });
        await host.UntilEventAsync("cancel-demo", e => e is { LogicalResourceId: "Alb", ResourceStatusReason: "Resource creation Initiated" });
        clock.Advance(TimeSpan.FromSeconds(2)); // the task definition is created; the service starts
        await host.UntilEventAsync("cancel-demo", e => e is { LogicalResourceId: "Service", ResourceStatusReason: "Resource creation Initiated" });
        clock.Advance(TimeSpan.FromSeconds(60)); // the service fails while the load balancer (150 s) is being created
        await host.UntilEventAsync("cancel-demo", e => e is { LogicalResourceId: "Alb", ResourceStatus: "CREATE_FAILED" });
        var stack = await host.SettleAsync(clock, "cancel-demo");

        Assert.Equal("ROLLBACK_COMPLETE", SandboxApi.Status(stack));
        var events = (await host.Api.AllEventsAsync("cancel-demo")).AsEnumerable().Reverse().ToList();
        var failures = events.Where(e => e.ResourceStatus == "CREATE_FAILED").ToList();
        Assert.Equal(["Service", "Alb"], failures.Select(e => e.LogicalResourceId));
        Assert.Matches(CircuitBreaker, failures[0].ResourceStatusReason);
        Assert.Equal("Resource creation cancelled", failures[1].ResourceStatusReason);
        Assert.Equal("The following resource(s) failed to create: [Service, Alb]. Rollback requested by user.",
            events.Single(e => e.ResourceStatus == "ROLLBACK_IN_PROGRESS").ResourceStatusReason);
        Assert.Equal(["Alb", "Service", "Task"], events.Where(e => e.ResourceStatus == "DELETE_COMPLETE").Select(e => e.LogicalResourceId).Order());
    }

    [Fact]
    public async Task FailingImageInAnUpdateRollsBackToThePreviousTemplate()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var healthy = TwoTierTemplate.Json();
        var deployed = await host.DeployAsync(StackName, healthy);
        var eventsBefore = (await host.Api.AllEventsAsync(StackName)).Count;
        // The image as an Fn::Sub this time: the tag is only visible once rendered.
        var failing = JsonNode.Parse(healthy)!;
        failing["Resources"]!["FrontendTaskDefinitionB1C2D3E4"]!["Properties"]!["ContainerDefinitions"]![0]!["Image"] =
            new JsonObject { ["Fn::Sub"] = "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/frontend:fail-1.5.0" };

        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "broken-release", failing.ToJsonString(), type: "UPDATE");
        await host.Api.WaitForChangeSetAsync(changeSetId);
        var stack = await host.Api.ExecuteAndWaitAsync(changeSetId, StackName);

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", SandboxApi.Status(stack));
        var update = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().Skip(eventsBefore).ToList();
        var firstFailure = update.First(e => e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal));
        Assert.Equal(("FrontendService9F8E7D6C", "UPDATE_FAILED"), (firstFailure.LogicalResourceId, firstFailure.ResourceStatus));
        Assert.Matches(CircuitBreaker, firstFailure.ResourceStatusReason);
        Assert.Equal(["UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
            update.Where(e => e.IsStack).Select(e => e.ResourceStatus));
        Assert.Equal("The following resource(s) failed to update: [FrontendService9F8E7D6C].",
            update.Single(e => e.ResourceStatus == "UPDATE_ROLLBACK_IN_PROGRESS").ResourceStatusReason);
        var cleanupAt = update.FindIndex(e => e.ResourceStatus == "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        Assert.Contains(update.Skip(cleanupAt), e => e is { LogicalResourceId: "FrontendTaskDefinitionB1C2D3E4", ResourceStatus: "DELETE_COMPLETE" }
            && e.PhysicalResourceId.EndsWith(":2", StringComparison.Ordinal));
        Assert.Equal(deployed.Outputs, new DescribedStack(stack).Outputs);

        // The previous template is current again: submitting it changes nothing.
        var same = await host.Api.CreateChangeSetAsync(StackName, "healthy-again", healthy, type: "UPDATE");
        var (changeSet, _) = await host.Api.WaitForChangeSetAsync(same);
        Assert.Equal("FAILED", changeSet.Element(Ns + "Status")!.Value);
    }

    [Fact]
    public async Task CancellingAnUpdateRollsItBack()
    {
        var clock = new FakeTimeProvider();
        await using var host = await SandboxTestHost.StartAsync(clock);
        static string Template(int desiredCount) => $$"""
            { "Resources": { "Service": { "Type": "AWS::ECS::Service", "Properties": { "DesiredCount": {{desiredCount}} } } } }
            """;
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", await host.PlanAsync(clock, "scaling", "create", Template(1), "CREATE")));
        Assert.Equal("CREATE_COMPLETE", SandboxApi.Status(await host.SettleAsync(clock, "scaling")));
        var refused = await host.Api.ErrorAsync("CancelUpdateStack", ("StackName", "scaling"));

        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", await host.PlanAsync(clock, "scaling", "scale-out", Template(4), "UPDATE")));
        await host.UntilEventAsync("scaling", e => e is { LogicalResourceId: "Service", ResourceStatus: "UPDATE_IN_PROGRESS" });
        await host.Api.CallAsync("CancelUpdateStack", ("StackName", "scaling"));
        var stack = await host.SettleAsync(clock, "scaling");

        Assert.Equal(("ValidationError", "CancelUpdateStack cannot be called from current stack status"), (refused.Code, refused.Message));
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", SandboxApi.Status(stack));
        var events = await host.Api.AllEventsAsync("scaling");
        Assert.Equal("Stack update cancelled", events.Single(e => e.ResourceStatus == "UPDATE_ROLLBACK_IN_PROGRESS").ResourceStatusReason);
        Assert.Contains(events, e => e is { LogicalResourceId: "Service", ResourceStatus: "UPDATE_FAILED", ResourceStatusReason: "Resource update cancelled" });
    }
}
