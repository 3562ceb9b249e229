using System.Text.Json;
using Portal.Infra.Ecs;
using Portal.Tests.CloudFormation;
using static Portal.Tests.Diagnostics.DiagnosticsExamples;

namespace Portal.Tests.Diagnostics;

/// <summary>Each ECS operation against the reference's example: the JSON 1.1 request as sent, every field diagnosis reads.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class EcsProtocolTests
{
    private static DateTime Utc(double secondsSince1970) => DateTime.UnixEpoch.AddMilliseconds(Math.Round(secondsSince1970 * 1000));

    [Fact]
    public async Task DescribeServicesPostsTheTargetHeaderAndJsonBodySignedForEcsAndReadsTheExample()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(DescribeServicesJson));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = ["ecs-simple-service"] });

        var sent = Assert.Single(wire.Sent);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(new Uri("https://ecs.us-east-1.amazonaws.com/"), sent.Uri);
        Assert.Equal("AmazonEC2ContainerServiceV20141113.DescribeServices", sent.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", sent.Headers["Content-Type"]);
        var scope = WireRecorder.Scope(sent);
        Assert.True(scope.Success, sent.Headers["Authorization"]);
        Assert.Equal(("AKIDTESTPORTAL", "us-east-1", "ecs"), (scope.Groups["key"].Value, scope.Groups["region"].Value, scope.Groups["service"].Value));
        Assert.Equal("""{"services":["ecs-simple-service"]}""", wire.Bodies[0]);

        Assert.Equal(RequestId, response.RequestId);
        Assert.Empty(response.Failures);
        var service = Assert.Single(response.Services);
        Assert.Equal("arn:aws:ecs:us-east-1:012345678910:service/ecs-simple-service", service.ServiceArn);
        Assert.Equal("ecs-simple-service", service.ServiceName);
        Assert.Equal("arn:aws:ecs:us-east-1:012345678910:cluster/default", service.ClusterArn);
        Assert.Equal("ACTIVE", service.Status);
        Assert.Equal((1, 0, 0), (service.DesiredCount, service.RunningCount, service.PendingCount));
        Assert.Equal("arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:6", service.TaskDefinition);
        Assert.Equal(new DateTime(2016, 8, 29, 16, 25, 52, 130, DateTimeKind.Utc), service.CreatedAt);
        Assert.Empty(service.LoadBalancers);
        var deployment = Assert.Single(service.Deployments);
        Assert.Equal("ecs-svc/9223370564341623665", deployment.Id);
        Assert.Equal("PRIMARY", deployment.Status);
        Assert.Equal((1, 0, 0), (deployment.DesiredCount, deployment.RunningCount, deployment.PendingCount));
        Assert.Null(deployment.RolloutState);
        var serviceEvent = Assert.Single(service.Events);
        Assert.Equal("38c285e5-d335-4b68-8b15-e46dedc8e88d", serviceEvent.Id);
        Assert.Equal(new DateTime(2016, 8, 29, 16, 25, 58, 520, DateTimeKind.Utc), serviceEvent.CreatedAt);
        Assert.StartsWith("(service ecs-simple-service) was unable to place a task because no container instance met all of its requirements.", serviceEvent.Message);
    }

    [Fact]
    public async Task DescribeServicesReadsAFailedRolloutItsTargetGroupAndTheServicesNotFound()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(FailedRolloutJson));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest
        {
            Cluster = "portal-orders-dev-Cluster1A2B3C",
            Services = ["backend-service", "frontend-gone"],
        });

        var body = wire.LastJson;
        Assert.Equal("portal-orders-dev-Cluster1A2B3C", body.GetProperty("cluster").GetString());
        Assert.Equal(["backend-service", "frontend-gone"], body.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        var service = Assert.Single(response.Services);
        Assert.Equal((2, 0, 1), (service.DesiredCount, service.RunningCount, service.PendingCount));
        Assert.Equal("FARGATE", service.LaunchType);
        var loadBalancer = Assert.Single(service.LoadBalancers);
        Assert.Equal("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/portal-Backe-1ABC/0123456789abcdef", loadBalancer.TargetGroupArn);
        Assert.Equal(("app", 8080), (loadBalancer.ContainerName, loadBalancer.ContainerPort));
        var deployment = Assert.Single(service.Deployments);
        Assert.Equal(RolloutState.Failed, deployment.RolloutState);
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start.", deployment.RolloutStateReason);
        Assert.Equal(3, deployment.FailedTasks);
        Assert.Equal(Utc(1796625000.5), deployment.CreatedAt);
        Assert.Equal(Utc(1796625420.25), deployment.UpdatedAt);
        Assert.Equal(
            ["(service backend-service) deployment ecs-svc/1234567890123456789 deployment failed: tasks failed to start.",
             "(service backend-service) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."],
            service.Events.Select(e => e.Message));
        Assert.Equal(Utc(1796625300), service.Events[1].CreatedAt);
        var failure = Assert.Single(response.Failures);
        Assert.Equal(("arn:aws:ecs:eu-west-1:123456789012:service/portal-orders-dev-Cluster1A2B3C/frontend-gone", "MISSING"), (failure.Arn, failure.Reason));
    }

    [Fact]
    public async Task ListTasksSendsTheClusterServiceAndDesiredStatusAndReadsTheExample()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(ListTasksJson));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "default", ServiceName = "backend-service", DesiredStatus = DesiredStatus.Stopped });

        Assert.Equal("AmazonEC2ContainerServiceV20141113.ListTasks", wire.Sent.Single().Headers["X-Amz-Target"]);
        Assert.Equal("""{"cluster":"default","serviceName":"backend-service","desiredStatus":"STOPPED","maxResults":100}""", wire.Bodies[0]);
        Assert.Equal(
            ["arn:aws:ecs:us-east-1:012345678910:task/0cc43cdb-3bee-4407-9c26-c0e6ea5bee84",
             "arn:aws:ecs:us-east-1:012345678910:task/6b809ef6-c67e-4467-921f-ee261c15a0a1"],
            response.TaskArns);
        Assert.Null(response.NextToken);
        Assert.Equal(RequestId, response.RequestId);
    }

    [Fact]
    public async Task ListTasksFollowsNextTokenUntilTheLimitAndHandsBackWhereToContinue()
    {
        static string Page(int from, int count, string? next) => JsonSerializer.Serialize(new
        {
            taskArns = Enumerable.Range(from, count).Select(i => $"arn:aws:ecs:us-east-1:123456789012:task/c/{i:D32}"),
            nextToken = next,
        });
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(Page(0, 100, "page-2")).ReplyJson(Page(100, 50, "page-3")));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "c", ServiceName = "s", Limit = 150 });

        Assert.Equal(150, response.TaskArns.Count);
        Assert.Equal(150, response.TaskArns.Distinct().Count());
        Assert.Equal("page-3", response.NextToken);
        var pages = wire.Bodies.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        Assert.Equal(2, pages.Count);
        Assert.False(pages[0].TryGetProperty("nextToken", out _));
        Assert.Equal(100, pages[0].GetProperty("maxResults").GetInt32());
        Assert.Equal("page-2", pages[1].GetProperty("nextToken").GetString());
        Assert.Equal(50, pages[1].GetProperty("maxResults").GetInt32());
    }

    [Fact]
    public async Task ListTasksStopsAfterItsLastPageEvenWhenEcsKeepsAnsweringEmptyPages()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson("""{"taskArns":[],"nextToken":"more"}"""));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "c" });

        Assert.Empty(response.TaskArns);
        Assert.Equal("more", response.NextToken);
        Assert.Equal(EcsClient.MaxListPages, wire.Sent.Count);
    }

    [Fact]
    public async Task DescribeTasksReadsTheExample()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(DescribeTasksJson));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.DescribeTasksAsync(new DescribeTasksRequest { Tasks = ["c5cba4eb-5dad-405e-96db-71ef8eefe6a8"] });

        Assert.Equal("AmazonEC2ContainerServiceV20141113.DescribeTasks", wire.Sent.Single().Headers["X-Amz-Target"]);
        Assert.Equal("""{"tasks":["c5cba4eb-5dad-405e-96db-71ef8eefe6a8"]}""", wire.Bodies[0]);
        var task = Assert.Single(response.Tasks);
        Assert.Equal("arn:aws:ecs:<region>:<aws_account_id>:task/c5cba4eb-5dad-405e-96db-71ef8eefe6a8", task.TaskArn);
        Assert.Equal("arn:aws:ecs:<region>:<aws_account_id>:task-definition/amazon-ecs-sample:1", task.TaskDefinitionArn);
        Assert.Equal(("RUNNING", "RUNNING"), (task.LastStatus, task.DesiredStatus));
        Assert.Null(task.StoppedReason);
        var container = Assert.Single(task.Containers);
        Assert.Equal(("ecs-demo", "RUNNING"), (container.Name, container.LastStatus));
        Assert.Null(container.ExitCode);
    }

    [Fact]
    public async Task DescribeTasksReadsWhyTasksStoppedAndHowTheirContainersEnded()
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson(StoppedTasksJson));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var response = await ecs.DescribeTasksAsync(new DescribeTasksRequest
        {
            Cluster = "portal-orders-dev-Cluster1A2B3C",
            Tasks = ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", "9a8b7c6d5e4f30211203f4e5d6c7b8a9"],
        });

        Assert.Equal("portal-orders-dev-Cluster1A2B3C", wire.LastJson.GetProperty("cluster").GetString());
        var (exited, unpulled) = (response.Tasks[0], response.Tasks[1]);
        Assert.Equal(("STOPPED", "STOPPED"), (exited.LastStatus, exited.DesiredStatus));
        Assert.Equal("EssentialContainerExited", exited.StopCode);
        Assert.Equal("Essential container in task exited", exited.StoppedReason);
        Assert.Equal("service:backend-service", exited.Group);
        Assert.Equal(Utc(1796625042.123), exited.StartedAt);
        Assert.Equal(Utc(1796625060.5), exited.StoppedAt);
        var app = Assert.Single(exited.Containers);
        Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-backend:fail-exit", app.Image);
        Assert.Equal(1, app.ExitCode);
        Assert.Null(app.Reason);
        Assert.Equal("TaskFailedToStart", unpulled.StopCode);
        Assert.StartsWith("CannotPullContainerError: ", unpulled.StoppedReason);
        Assert.Null(unpulled.StartedAt);
        Assert.Equal("CannotPullContainerError: pull image manifest has been retried 5 time(s)", Assert.Single(unpulled.Containers).Reason);
    }

    public static TheoryData<string, Func<IEcs, Task>> OutOfBounds => new()
    {
        { "DescribeServicesRequest.Services", ecs => ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = [] }) },
        { "DescribeServicesRequest.Services", ecs => ecs.DescribeServicesAsync(new DescribeServicesRequest { Services = Enumerable.Range(0, 11).Select(i => $"s{i}").ToList() }) },
        { "DescribeTasksRequest.Tasks", ecs => ecs.DescribeTasksAsync(new DescribeTasksRequest { Tasks = Enumerable.Range(0, 101).Select(i => $"t{i}").ToList() }) },
        { "DescribeTasksRequest.Tasks", ecs => ecs.DescribeTasksAsync(new DescribeTasksRequest { Tasks = ["t", " "] }) },
        { "ListTasksRequest.Limit", ecs => ecs.ListTasksAsync(new ListTasksRequest { Limit = 0 }) },
        { "ListTasksRequest.Limit", ecs => ecs.ListTasksAsync(new ListTasksRequest { Limit = 1001 }) },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task ARequestBeyondEcsLimitsIsRefusedBeforeItIsSent(string field, Func<IEcs, Task> call)
    {
        var wire = new WireRecorder(new ScriptedHttp().ReplyJson("{}"));
        using var ecs = DiagnosticsWire.Ecs(wire);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => call(ecs));

        Assert.Contains(field, error.Message);
        Assert.Empty(wire.Sent);
    }
}
