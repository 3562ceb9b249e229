using Portal.Infra.ServiceHealth;

namespace Portal.Tests.ServiceHealth;

/// <summary>The sentence that names why a service could not start, from what ECS, the load balancer and the logs said.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class ServiceCauseTests
{
    private const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend:1.9";
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnImageThatIsNotThereIsNamed()
    {
        var report = Report(stopped: Task("CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " +
                                          Image + ": " + Image + ": not found", new ContainerExit("backend", Image, null, null)));

        Assert.Equal("backend: image …/backend:1.9 not found (CannotPullContainerError)", ServiceCause.Find(report));
    }

    [Fact]
    public void ASecretThatCannotBeReadIsNamedWithoutItsAccountOrSuffix()
    {
        var report = Report(stopped: Task(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve " +
            "secret from asm: service call has been retried 1 time(s): failed to fetch secret " +
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf from secrets manager: AccessDeniedException: User is not authorized",
            new ContainerExit("backend", Image, null, null)));

        Assert.Equal("backend: could not read secret …:orders/db (ResourceInitializationError)", ServiceCause.Find(report));
    }

    [Fact]
    public void AContainerThatExitedIsNamedWithItsCodeAndLastLogLine()
    {
        var report = Report(
            stopped: Task("Essential container in task exited", new ContainerExit("backend", Image, 1, null)),
            logs: [new LogLine(At, "listening on :8080"), new LogLine(At, "Error: ORDERS_DB_URL is not set"), new LogLine(At, "  ")]);

        Assert.Equal("backend: container exited with code 1; last log line: Error: ORDERS_DB_URL is not set", ServiceCause.Find(report));
    }

    [Fact]
    public void AContainerThatExitedWithoutLogsIsNamedWithItsCode()
    {
        var report = Report(stopped: Task("Essential container in task exited", new ContainerExit("backend", Image, 137, "OutOfMemoryError")));

        Assert.Equal("backend: container exited with code 137", ServiceCause.Find(report));
    }

    [Fact]
    public void AHealthCheckAnsweredWithTheWrongCodeIsNamedWithPathAndCodes()
    {
        var report = Report("frontend", "/health", targets: new TargetHealthReport(0, 2,
        [
            new UnhealthyTarget("10.0.1.7", 3000, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"),
            new UnhealthyTarget("10.0.2.9", 3000, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"),
        ]));

        Assert.Equal("frontend: health check on /health answered 404 (Target.ResponseCodeMismatch)", ServiceCause.Find(report));
    }

    [Fact]
    public void AfterARollbackTheHealthCheckCodesAreFoundInTheServiceEvents()
    {
        // The target group went with the rollback; ECS's own event still quotes what the load balancer received.
        var report = Report("frontend", "/health",
            stopped: Task("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/portal-fe/73e2d6bc24d8a067)",
                new ContainerExit("frontend", Image, 143, null)),
            events: [new ServiceEventLine(At, "(service portal-orders-dev-frontend) has stopped 1 running tasks: (task 0f3a9c). " +
                                                  "(reason Health checks failed with these codes: [404])")]);

        Assert.Equal("frontend: health check on /health answered 404 (Target.ResponseCodeMismatch)", ServiceCause.Find(report));
    }

    [Fact]
    public void AHealthCheckThatTimedOutIsNamedWithElbsWords()
    {
        var report = Report("frontend", "/", targets: new TargetHealthReport(1, 2,
            [new UnhealthyTarget("10.0.1.7", 3000, "unhealthy", "Target.Timeout", "Request timed out")]));

        Assert.Equal("frontend: health check on / failed: Request timed out (Target.Timeout)", ServiceCause.Find(report));
    }

    [Fact]
    public void TheEarliestFailureWinsWhenTasksFailedInSeveralWays()
    {
        // A task that could not pull its image never ran: its health check and exit code say nothing more.
        var report = Report(
            stopped:
            [
                .. Task("Essential container in task exited", new ContainerExit("backend", Image, 1, null)),
                .. Task("CannotPullContainerError: not found", new ContainerExit("backend", Image, null, "CannotPullContainerError: not found")),
            ],
            targets: new TargetHealthReport(0, 1, [new UnhealthyTarget("10.0.1.7", 8080, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]")]));

        Assert.Equal("backend: image …/backend:1.9 not found (CannotPullContainerError)", ServiceCause.Find(report));
    }

    [Fact]
    public void AHealthyServiceHasNoCause()
    {
        var report = Report(targets: new TargetHealthReport(2, 2, []), running: 2);

        Assert.Null(ServiceCause.Find(report));
        Assert.True(report.IsHealthy);
    }

    [Fact]
    public void AServiceShortOfTasksOrTargetsIsNotHealthy()
    {
        Assert.False(Report(running: 1, targets: new TargetHealthReport(1, 1, [])).IsHealthy);
        Assert.False(Report(running: 2, targets: new TargetHealthReport(1, 2, [new UnhealthyTarget("10.0.1.7", 80, "initial", "Elb.RegistrationInProgress", null)])).IsHealthy);
        Assert.True(Report(running: 2, targets: null).IsHealthy);
    }

    [Fact]
    public void TextLongerThanTheLimitIsCutWithAnEllipsis()
    {
        var cut = ServiceReportLimits.Cut(new string('x', ServiceReportLimits.Text + 50));

        Assert.Equal(ServiceReportLimits.Text, cut.Length);
        Assert.EndsWith("…", cut);
        Assert.Equal("short", ServiceReportLimits.Cut("short"));
    }

    private static StoppedTask[] Task(string stoppedReason, params ContainerExit[] containers) =>
        [new StoppedTask("0f3a9c", At, null, stoppedReason, containers)];

    private static ServiceReport Report(
        string component = "backend", string? healthCheckPath = "/health", StoppedTask[]? stopped = null,
        TargetHealthReport? targets = null, LogLine[]? logs = null, int running = 0, ServiceEventLine[]? events = null) =>
        new(component, $"portal-orders-dev-{component}", running, 0, 2, healthCheckPath, events ?? [], stopped ?? [], targets, logs ?? []);
}
