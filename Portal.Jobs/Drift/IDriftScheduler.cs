namespace Portal.Jobs.Drift;

/// <summary>Where a new drift check's job goes.</summary>
public interface IDriftScheduler
{
    Task EnqueueAsync(int checkId, CancellationToken cancellationToken);
}
