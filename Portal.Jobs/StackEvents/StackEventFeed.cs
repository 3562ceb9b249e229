namespace Portal.Jobs.StackEvents;

/// <summary>What a deploy job is doing right now, beyond its stored events (e.g. waiting out an outage).</summary>
public sealed record DeploymentActivity(int EnvironmentId, string? StackStatus, int Settled, int? Total, string? Retrying);

/// <summary>
/// In-process notifications: a job says "environment N has new events (or a new status)" after it has saved
/// them, and open pages re-read from the database after their last event id. Pages also poll the database,
/// so events stored by a job in another process (the Portal.Jobs worker) arrive too, only a little later.
/// </summary>
public sealed class StackEventFeed
{
    private readonly Dictionary<int, DeploymentActivity> _activity = [];
    private readonly Lock _gate = new();

    /// <summary>Raised with the environment id after new events or a status change were saved.</summary>
    public event Action<int>? Changed;

    public void Publish(int environmentId) => Changed?.Invoke(environmentId);

    public void Report(DeploymentActivity activity)
    {
        lock (_gate) _activity[activity.EnvironmentId] = activity;
        Publish(activity.EnvironmentId);
    }

    public void Clear(int environmentId)
    {
        lock (_gate) _activity.Remove(environmentId);
        Publish(environmentId);
    }

    public DeploymentActivity? Activity(int environmentId)
    {
        lock (_gate) return _activity.GetValueOrDefault(environmentId);
    }
}
