using Hangfire;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Deployments;

/// <summary>Plans run as Hangfire jobs, stored in the jobs database before the request returns.</summary>
internal sealed class HangfirePlanScheduler(IBackgroundJobClient jobs) : IPlanScheduler
{
    public Task EnqueueAsync(int revisionId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<PlanJob>(job => job.RunAsync(revisionId, CancellationToken.None));
        return Task.CompletedTask;
    }
}

internal sealed class HangfireDeployScheduler(IBackgroundJobClient jobs) : IDeployScheduler
{
    public Task EnqueueAsync(int revisionId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<DeployJob>(job => job.RunAsync(revisionId, CancellationToken.None));
        return Task.CompletedTask;
    }
}
