using Hangfire;

namespace Portal.Jobs.Drift;

internal sealed class HangfireDriftScheduler(IBackgroundJobClient jobs) : IDriftScheduler
{
    public Task EnqueueAsync(int checkId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<DriftCheckJob>(job => job.RunAsync(checkId, CancellationToken.None));
        return Task.CompletedTask;
    }
}
