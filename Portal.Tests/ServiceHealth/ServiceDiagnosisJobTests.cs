using Microsoft.EntityFrameworkCore;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Jobs.Data;
using Portal.Jobs.Drift;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;

namespace Portal.Tests.ServiceHealth;

/// <summary>
/// Why a deploy failed, as ECS, the load balancer and the logs tell it, stored with the revision; and whether a deployed
/// environment is healthy, including one whose stack was deleted outside the portal. The jobs against the sandbox,
/// whose images tagged <c>fail-…</c> fail as real ECS services do.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ServiceDiagnosisJobTests : IAsyncLifetime
{
    private JobsFixture _jobs = null!;

    public async Task InitializeAsync() => _jobs = await JobsFixture.StartAsync();

    public async Task DisposeAsync() => await _jobs.DisposeAsync();

    [Theory]
    [InlineData("backend", "fail-pull", @"^backend: image …/backend:fail-pull not found \(CannotPullContainerError\)$")]
    [InlineData("backend", "fail-exit", @"^backend: container exited with code 1; last log line: Error: start-up failed: .+$")]
    [InlineData("frontend", "fail-health", @"^frontend: health check on /health answered 404 \(Target\.ResponseCodeMismatch\)$")]
    [InlineData("frontend", "fail-secret", @"^frontend: could not read secret …:orders/api \(ResourceInitializationError\)$")]
    public async Task AFailedDeployNamesTheRealCauseAndKeepsCloudFormationsSentenceAfterIt(string tier, string tag, string cause)
    {
        var planned = await _jobs.SubmitAndPlanAsync(Failing(JobsFixture.Spec("orders-dev"), tier, tag));

        var failed = await _jobs.ApproveAndDeployAsync(planned.Id);

        Assert.Equal(RevisionStatus.Failed, failed.Status);
        Assert.Matches(cause, failed.Cause);
        Assert.StartsWith($"{failed.Cause}. CloudFormation: ROLLBACK_COMPLETE: ", failed.StatusReason);
        Assert.Contains("ECS Deployment Circuit Breaker was triggered", failed.StatusReason);
        var diagnosis = await _jobs.Get<EnvironmentHealthQueries>().DiagnosisAsync("orders-dev", failed.Number, default);
        var service = Assert.Single(diagnosis!.Services, s => s.Component == tier);
        Assert.NotEmpty(service.StoppedTasks);
        // The reading taken once the stack settled, after the circuit breaker gave up; the message says which one it was.
        Assert.True(service.Events.Any(e => e.Message.Contains("is unable to consistently start tasks successfully")),
            $"the reading at {diagnosis.ReadAt:O} (revision ended {failed.StatusChangedAt:O}) lacks the circuit breaker's event: " +
            string.Join(" | ", service.Events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Message}")));
        Assert.Equal(0, service.Running);
        // A container that ran wrote its log (a failed health check's tasks too); one never started has none.
        Assert.Equal(tag is "fail-exit" or "fail-health", service.LogLines.Count > 0);
        Assert.True(diagnosis.Services.Single(s => s.Component != tier).StoppedTasks.All(t => t.StopCode != "TaskFailedToStart"),
            "the other tier did not fail");
    }

    [Fact]
    public async Task ADeployedEnvironmentIsHealthyWithEveryTaskRunningBehindHealthyTargets()
    {
        var deployed = await _jobs.ApproveAndDeployAsync((await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"))).Id);

        var health = await _jobs.Get<EnvironmentHealthQueries>().ReadAsync("orders-dev", default);

        Assert.Equal(RevisionStatus.Deployed, deployed.Status);
        Assert.Null(deployed.Cause);
        Assert.Equal(EnvironmentHealthState.Healthy, health.State);
        Assert.Equal(["frontend", "backend"], health.Diagnosis!.Services.Select(s => s.Component));
        Assert.All(health.Diagnosis.Services, s =>
        {
            Assert.Equal((2, 2, 0), (s.Running, s.Desired, s.Pending));
            Assert.Equal((2, 2), (s.Targets!.Healthy, s.Targets.Total));
            Assert.Equal("/health", s.HealthCheckPath);
        });
        // The deploy read its services when it ended and kept the reading with the revision.
        Assert.True((await _jobs.Get<EnvironmentHealthQueries>().DiagnosisAsync("orders-dev", deployed.Number, default))!.IsHealthy);
    }

    [Fact]
    public async Task AStackDeletedOutsideThePortalIsSaidByHealthDriftAndTheEnvironmentUntilTheNextDeploy()
    {
        await _jobs.ApproveAndDeployAsync((await _jobs.SubmitAndPlanAsync(JobsFixture.Spec("orders-dev"))).Id);
        var cloudFormation = _jobs.Get<ICloudFormationFactory>().For("sandbox");
        await cloudFormation.DeleteStackAsync(new DeleteStackRequest { StackName = "portal-orders-dev" });
        await Poll.UntilAsync(async () => await ChangeSets.DescribeAsync(cloudFormation, "portal-orders-dev", default) is null,
            "the stack deleted outside the portal to be gone");

        var health = await _jobs.Get<EnvironmentHealthQueries>().ReadAsync("orders-dev", default);
        var drift = await _jobs.Get<DriftCommands>().StartAsync("orders-dev", WorkflowTest.Alice, default);
        await _jobs.Get<DriftCheckJob>().RunAsync(drift.Id, default);

        Assert.Equal(EnvironmentHealthState.StackMissing, health.State);
        Assert.Equal("the stack was deleted outside the portal; the next revision creates it again", health.Summary);
        var detail = await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default);
        Assert.Equal(EnvironmentStatus.Deployed, detail.Environment.Status);
        Assert.Equal(health.StackMissingSince, detail.Environment.StackMissingSince);
        Assert.Single(detail.Audit, a => a.What == "Stack missing");
        var check = await _jobs.Get<DriftQueries>().LatestAsync("orders-dev", default);
        Assert.Equal((DriftCheckStatus.Failed, DriftCheckJob.StackMissingReason), (check!.Status, check.Reason));

        var recreated = await _jobs.ApproveAndDeployAsync((await _jobs.UpdateAndPlanAsync(JobsFixture.Spec("orders-dev", tag: "1.5.0"))).Id);

        Assert.Equal(RevisionStatus.Deployed, recreated.Status);
        Assert.Null((await _jobs.Get<EnvironmentQueries>().GetAsync("orders-dev", default)).Environment.StackMissingSince);
        Assert.Equal(EnvironmentHealthState.Healthy, (await _jobs.Get<EnvironmentHealthQueries>().ReadAsync("orders-dev", default)).State);
    }

    /// <summary>The spec with <paramref name="tier"/>'s image tagged <paramref name="tag"/> (by tag, not digest).</summary>
    public static EnvironmentSpec Failing(EnvironmentSpec spec, string tier, string tag) => tier == "frontend"
        ? spec with { Frontend = spec.Frontend with { Image = spec.Frontend.Image with { Tag = tag, Digest = null } } }
        : spec with { Backend = spec.Backend with { Image = spec.Backend.Image with { Tag = tag, Digest = null } } };
}
