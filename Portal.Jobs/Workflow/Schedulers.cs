namespace Portal.Jobs.Workflow;

/// <summary>
/// Starts planning a Submitted revision (synth, guardrail, change set). Called after the revision is saved,
/// so the job always finds it. The web host and the worker run it as a Hangfire job.
/// </summary>
public interface IPlanScheduler
{
    Task EnqueueAsync(int revisionId, CancellationToken cancellationToken);
}

/// <summary>
/// Queues an Approved revision (Create, Update or Destroy, by its kind) for execution. Called after the last
/// required approval is saved. The web host and the worker run it as a Hangfire job.
/// </summary>
public interface IDeployScheduler
{
    Task EnqueueAsync(int revisionId, CancellationToken cancellationToken);
}
