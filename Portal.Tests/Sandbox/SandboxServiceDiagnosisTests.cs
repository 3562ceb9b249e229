using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Sandbox;

/// <summary>
/// The sandbox's ECS, Elastic Load Balancing and CloudWatch Logs endpoints tell the story of a stack's service as AWS
/// would: running tasks behind healthy targets, or, for an image tagged to fail, stopped tasks with ECS's reasons, the
/// service's events, the targets' health and the container's last log lines, all before CloudFormation's circuit
/// breaker failure and the rollback.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxServiceDiagnosisTests
{
    private const string StackName = "orders-dev";
    private const string Service = "FrontendService9F8E7D6C";
    private const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/frontend:";

    [Fact]
    public async Task HealthyDeployRunsTheDesiredTasksBehindHealthyTargets()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);

        var stack = await host.DeployAsync(StackName, TwoTierTemplate.Json());

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var names = await NamesAsync(host);
        var service = await api.ServiceAsync(stack.Outputs["ClusterName"], stack.Outputs["FrontendServiceName"]);
        Assert.Equal(("ACTIVE", 2, 2, 0), (Text(service, "status"), Number(service, "desiredCount"), Number(service, "runningCount"), Number(service, "pendingCount")));
        Assert.Equal("COMPLETED", Text(service["deployments"]!.AsArray().Single()!.AsObject(), "rolloutState"));
        var events = Messages(service);
        Assert.Equal($"(service {stack.Outputs["FrontendServiceName"]}) has reached a steady state.", events[0]);
        Assert.Contains(events, e => System.Text.RegularExpressions.Regex.IsMatch(e, @"^\(service [^)]+\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$"));

        var tasks = await api.TasksAsync(names.Cluster, names.ServiceArn, "RUNNING");
        Assert.Equal(["RUNNING", "RUNNING"], tasks.Select(t => Text(t, "lastStatus")));
        var targets = await api.TargetsAsync(names.TargetGroup);
        Assert.Equal(["healthy", "healthy"], targets.Select(t => t.State));
        Assert.Equal(tasks.Select(t => Text(t["containers"]![0]!["networkInterfaces"]![0]!.AsObject(), "privateIpv4Address")).Order(), targets.Select(t => t.Id).Order());
        var log = await api.LogAsync(names.LogGroup, $"frontend/frontend/{TaskId(tasks[0])}");
        Assert.Equal($"Starting frontend from {Image}1.4.2", log[0]);
        Assert.Contains("GET /health 200", log);
    }

    [Theory]
    [InlineData("fail-pull", "TaskFailedToStart", @"^CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref (?<image>\S+): \k<image>: not found$", null)]
    [InlineData("fail-exit", "EssentialContainerExited", @"^Essential container in task exited$", 1)]
    [InlineData("fail-health", "ServiceSchedulerInitiated", @"^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/[^)]+\)$", null)]
    [InlineData("fail-secret", "TaskFailedToStart", @"^ResourceInitializationError: unable to pull secrets or registry auth: .*failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:\S+ from secrets manager: .*$", null)]
    public async Task FailingImageStopsTasksWithEcsReasonsBeforeTheCircuitBreakerRollsTheStackBack(string tag, string stopCode, string reason, int? exitCode)
    {
        var clock = new FakeTimeProvider();
        await using var host = await SandboxTestHost.StartAsync(clock);
        using var api = new SandboxServicesApi(host.Server, clock);

        await StartCreateAsync(host, clock, tag);
        var stack = await host.SettleAsync(clock, StackName);

        Assert.Equal("ROLLBACK_COMPLETE", SandboxApi.Status(stack));
        var names = await NamesAsync(host);
        var service = await api.ServiceAsync(names.Cluster, names.ServiceArn);
        Assert.Equal(("INACTIVE", 0), (Text(service, "status"), Number(service, "runningCount")));
        var events = Messages(service);
        var prefix = $"(service {names.ServiceArn[(names.ServiceArn.LastIndexOf('/') + 1)..]})";
        Assert.StartsWith($"{prefix} (deployment ecs-svc/", events[0]);
        Assert.EndsWith(") deployment failed: tasks failed to start.", events[0]);
        Assert.Equal($"{prefix} is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", events[1]);
        Assert.Equal(2, events.Count(e => e.StartsWith($"{prefix} has started 2 tasks: ", StringComparison.Ordinal)));
        Assert.Equal("FAILED", Text(service["deployments"]!.AsArray().Single()!.AsObject(), "rolloutState"));

        var stopped = await api.TasksAsync(names.Cluster, names.ServiceArn, "STOPPED");
        Assert.Equal(4, stopped.Count); // two rounds of two: the circuit breaker's threshold is 3 failed tasks
        Assert.Empty(await api.TasksAsync(names.Cluster, names.ServiceArn, "RUNNING"));
        foreach (var task in stopped)
        {
            Assert.Equal(("STOPPED", stopCode), (Text(task, "lastStatus"), Text(task, "stopCode")));
            Assert.Matches(reason, Text(task, "stoppedReason"));
            var container = task["containers"]!.AsArray().Single()!.AsObject();
            Assert.Equal(Image + tag, Text(container, "image"));
            Assert.Equal(exitCode, container["exitCode"]?.GetValue<int>());
        }
        if (tag == "fail-pull")
            Assert.Equal(Text(stopped[0], "stoppedReason"), Text(stopped[0]["containers"]![0]!.AsObject(), "reason"));

        // CloudFormation tells of the failure after the tasks stopped, then rolls back.
        var cfn = (await host.Api.AllEventsAsync(StackName)).AsEnumerable().Reverse().ToList();
        var failed = cfn.First(e => e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal));
        Assert.Equal((Service, "CREATE_FAILED"), (failed.LogicalResourceId, failed.ResourceStatus));
        Assert.Contains("ECS Deployment Circuit Breaker was triggered", failed.ResourceStatusReason);
        var lastStop = stopped.Max(t => Time(t, "stoppedAt"));
        var breakerTripped = Time(service["events"]![0]!.AsObject(), "createdAt");
        Assert.True(lastStop <= breakerTripped && breakerTripped <= failed.Timestamp, $"tasks stopped {lastStop:O}, deployment failed {breakerTripped:O}, CREATE_FAILED {failed.Timestamp:O}");
        Assert.True(cfn.IndexOf(failed) < cfn.FindIndex(e => e is { IsStack: true, ResourceStatus: "ROLLBACK_IN_PROGRESS" }));
        Assert.Equal("ROLLBACK_COMPLETE", cfn[^1].ResourceStatus);
    }

    [Fact]
    public async Task ExitingContainerLeavesItsLastLinesWithTheErrorLast()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);

        await host.DeployAsync(StackName, TwoTierTemplate.Json(frontendTag: "fail-exit"));

        var names = await NamesAsync(host);
        var task = (await api.TasksAsync(names.Cluster, names.ServiceArn, "STOPPED"))[0];
        var log = await api.LogAsync(names.LogGroup, $"frontend/frontend/{TaskId(task)}");
        Assert.Equal([$"Starting frontend from {Image}fail-exit", "Listening on port 3000", "Reading configuration from the environment",
            "Connecting to dependencies", "Error: start-up failed: a required setting is missing; exiting with code 1"], log);
    }

    [Fact]
    public async Task ContainerThatNeverStartedHasNoLogStream()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);

        await host.DeployAsync(StackName, TwoTierTemplate.Json(frontendTag: "fail-pull"));

        var names = await NamesAsync(host);
        var task = (await api.TasksAsync(names.Cluster, names.ServiceArn, "STOPPED"))[0];
        var (status, body) = await api.JsonAsync(host.Server.LogsUrl, "Logs_20140328.GetLogEvents",
            new JsonObject { ["logGroupName"] = names.LogGroup, ["logStreamName"] = $"frontend/frontend/{TaskId(task)}" }, "logs");
        Assert.Equal((HttpStatusCode.BadRequest, "ResourceNotFoundException", "The specified log stream does not exist."),
            (status, Text(body, "__type"), Text(body, "message")));
    }

    [Fact]
    public async Task FailingHealthChecksShowUnhealthyTargetsWhileTheTasksRun()
    {
        var clock = new FakeTimeProvider();
        await using var host = await SandboxTestHost.StartAsync(clock);
        using var api = new SandboxServicesApi(host.Server, clock);

        var started = await StartCreateAsync(host, clock, "fail-health");
        clock.Advance(started.Timestamp + TimeSpan.FromSeconds(15) - clock.GetUtcNow()); // the first round's tasks run and fail their checks

        var names = await NamesAsync(host);
        var targets = await api.TargetsAsync(names.TargetGroup);
        Assert.Equal(2, targets.Count);
        Assert.All(targets, t => Assert.Equal(("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"), (t.State, t.Reason, t.Description)));
        var service = await api.ServiceAsync(names.Cluster, names.ServiceArn);
        Assert.Equal(("ACTIVE", 2), (Text(service, "status"), Number(service, "runningCount")));
        Assert.Matches(@"^\(service [^)]+\) \(port 3000\) is unhealthy in \(target-group arn:[^)]+\) due to \(reason Health checks failed with these codes: \[404\]\)\.$", Messages(service)[0]);
        var running = await api.TasksAsync(names.Cluster, names.ServiceArn, "RUNNING");
        Assert.Equal("GET /health 404", (await api.LogAsync(names.LogGroup, $"frontend/frontend/{TaskId(running[0])}"))[^1]);

        await host.SettleAsync(clock, StackName);
        var (status, body) = await api.ElbAsync("DescribeTargetHealth", parameters: ("TargetGroupArn", names.TargetGroup));
        Assert.Equal((HttpStatusCode.BadRequest, "TargetGroupNotFound"), (status, body.Descendants(SandboxServicesApi.ElbNs + "Code").Single().Value));
    }

    [Fact]
    public async Task FailedUpdateLeavesThePreviousDeploymentRunning()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);
        var created = await host.DeployAsync(StackName, TwoTierTemplate.Json());
        var changeSetId = await host.Api.CreateChangeSetAsync(StackName, "update", TwoTierTemplate.Json(frontendTag: "fail-exit"), "UPDATE");
        await host.Api.WaitForChangeSetAsync(changeSetId);

        var updated = await host.Api.ExecuteAndWaitAsync(changeSetId, StackName);

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", SandboxApi.Status(updated));
        var service = await api.ServiceAsync(created.Outputs["ClusterName"], created.Outputs["FrontendServiceName"]);
        Assert.Equal(("ACTIVE", 2), (Text(service, "status"), Number(service, "runningCount")));
        var deployment = service["deployments"]!.AsArray().Single()!.AsObject();
        Assert.Equal(("PRIMARY", "COMPLETED"), (Text(deployment, "status"), Text(deployment, "rolloutState")));
        Assert.EndsWith("frontend:1", Text(deployment, "taskDefinition"));
        var events = Messages(service);
        Assert.Matches(@"^\(service [^)]+\) rolling back to deployment ecs-svc/\d+\.$", events[0]);
        Assert.Equal(4, (await api.TasksAsync(created.Outputs["ClusterName"], created.Outputs["FrontendServiceName"], "STOPPED"))
            .Count(t => Text(t, "stoppedReason") == "Essential container in task exited"));
    }

    [Fact]
    public async Task RestartedSandboxAnswersTheSame()
    {
        var folder = TempFolder.New("sandbox-services");
        try
        {
            JsonObject service, tasks, log;
            await using (var before = await SandboxTestHost.StartAsync(o => o.DataFolder = folder))
            {
                await before.DeployAsync(StackName, TwoTierTemplate.Json(frontendTag: "fail-exit"));
                (service, tasks, log) = await ReadAllAsync(before);
            }
            await using var after = await SandboxTestHost.StartAsync(o => o.DataFolder = folder);

            var (serviceAfter, tasksAfter, logAfter) = await ReadAllAsync(after);

            Assert.Equal(service.ToJsonString(), serviceAfter.ToJsonString());
            Assert.Equal(tasks.ToJsonString(), tasksAfter.ToJsonString());
            Assert.Equal(log.ToJsonString(), logAfter.ToJsonString());
            Assert.Equal(4, tasks["tasks"]!.AsArray().Count);
        }
        finally
        {
            TempFolder.Delete(folder);
        }

        static async Task<(JsonObject, JsonObject, JsonObject)> ReadAllAsync(SandboxTestHost host)
        {
            using var api = new SandboxServicesApi(host.Server);
            var names = await NamesAsync(host);
            var service = await api.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = names.Cluster, ["services"] = new JsonArray(names.ServiceArn) });
            var arns = await api.EcsAsync("ListTasks", new JsonObject { ["cluster"] = names.Cluster, ["serviceName"] = names.ServiceArn, ["desiredStatus"] = "STOPPED" });
            var tasks = await api.EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = names.Cluster, ["tasks"] = arns["taskArns"]!.DeepClone() });
            var taskId = TaskId(tasks["tasks"]![0]!.AsObject());
            var log = await api.LogsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = names.LogGroup, ["logStreamName"] = $"frontend/frontend/{taskId}" });
            // The paging tokens are positions; the events are what must match.
            return (service, tasks, new JsonObject { ["events"] = log["events"]!.DeepClone() });
        }
    }

    [Fact]
    public async Task EachEndpointRefusesASignatureScopedToAnotherService()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);
        var describe = new JsonObject { ["services"] = new JsonArray("web") };

        var ecs = await api.JsonAsync(host.Server.EcsUrl, "AmazonEC2ContainerServiceV20141113.DescribeServices", describe, "cloudformation");
        var logs = await api.JsonAsync(host.Server.LogsUrl, "Logs_20140328.GetLogEvents", new JsonObject(), "ecs");
        var elb = await api.ElbAsync("DescribeTargetHealth", "ecs", ("TargetGroupArn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0"));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSignatureException", "Credential should be scoped to correct service: 'ecs'."),
            (ecs.Status, Text(ecs.Body, "__type"), Text(ecs.Body, "message")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSignatureException", "Credential should be scoped to correct service: 'logs'."),
            (logs.Status, Text(logs.Body, "__type"), Text(logs.Body, "message")));
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'elasticloadbalancing'."),
            (elb.Status, elb.Body.Descendants(SandboxServicesApi.ElbNs + "Code").Single().Value, elb.Body.Descendants(SandboxServicesApi.ElbNs + "Message").Single().Value));
    }

    [Fact]
    public async Task UnknownActionsAreAnsweredWithEachProtocolsError()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var api = new SandboxServicesApi(host.Server);

        var ecs = await api.JsonAsync(host.Server.EcsUrl, "AmazonEC2ContainerServiceV20141113.DeleteCluster", new JsonObject(), "ecs");
        var elb = await api.ElbAsync("DeleteTargetGroup");
        var cluster = await api.JsonAsync(host.Server.EcsUrl, "AmazonEC2ContainerServiceV20141113.DescribeServices", new JsonObject { ["services"] = new JsonArray("web") }, "ecs");

        Assert.Equal((HttpStatusCode.BadRequest, "UnknownOperationException"), (ecs.Status, Text(ecs.Body, "__type")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidAction", "Could not find operation DeleteTargetGroup for version 2015-12-01"),
            (elb.Status, elb.Body.Descendants(SandboxServicesApi.ElbNs + "Code").Single().Value, elb.Body.Descendants(SandboxServicesApi.ElbNs + "Message").Single().Value));
        Assert.Equal((HttpStatusCode.BadRequest, "ClusterNotFoundException"), (cluster.Status, Text(cluster.Body, "__type")));
    }

    /// <summary>Plans and executes the create on the fake clock, advancing it until CloudFormation starts the service.</summary>
    private static async Task<StackEventRow> StartCreateAsync(SandboxTestHost host, FakeTimeProvider clock, string tag)
    {
        var changeSetId = await host.PlanAsync(clock, StackName, "create", TwoTierTemplate.Json(frontendTag: tag), "CREATE");
        await host.Api.CallAsync("ExecuteChangeSet", ("ChangeSetName", changeSetId));
        static bool Started(StackEventRow e) => e is { LogicalResourceId: Service, ResourceStatusReason: "Resource creation Initiated" };
        var events = await SandboxApi.PollAsync(async () =>
        {
            var events = await host.Api.AllEventsAsync(StackName);
            if (!events.Any(Started))
                clock.Advance(TimeSpan.FromSeconds(1));
            return events;
        }, events => events.Any(Started));
        return events.First(Started);
    }

    private sealed record Names(string Cluster, string ServiceArn, string TargetGroup, string LogGroup);

    /// <summary>The physical ids CloudFormation reported (outputs are gone once a create rolled back).</summary>
    private static async Task<Names> NamesAsync(SandboxTestHost host)
    {
        var events = await host.Api.AllEventsAsync(StackName);
        string Physical(string logicalId) => events.First(e => e.LogicalResourceId == logicalId && e.PhysicalResourceId.Length > 0).PhysicalResourceId;
        return new Names(Physical("ClusterEB0386A7"), Physical(Service), Physical("FrontendTargetGroup7D3E2B1F"), Physical("FrontendLogGroup2A3B4C5D"));
    }

    private static List<string> Messages(JsonObject service) => [.. service["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>())];

    private static string Text(JsonObject node, string name) => node[name]!.GetValue<string>();

    private static int Number(JsonObject node, string name) => node[name]!.GetValue<int>();

    private static DateTimeOffset Time(JsonObject node, string name) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(node[name]!.GetValue<double>() * 1000));

    private static string TaskId(JsonObject task) => Text(task, "taskArn")[(Text(task, "taskArn").LastIndexOf('/') + 1)..];
}
