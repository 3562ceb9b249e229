namespace Portal.Jobs.StackEvents;

/// <summary>What a deploy job is doing right now, beyond its stored events (e.g. waiting out an outage).</summary>
public sealed record DeploymentActivity(string Environment, string? StackStatus, int Settled, int? Total, string? Retrying);

/// <summary>
/// In-process notifications: a job says "environment X has new events (or a new status)" after it has saved
/// them, and open pages re-read from the database after their last event id. Pages also poll the database,
/// so events stored by a job in another process (the Portal.Jobs worker) arrive too, only a little later.
/// </summary>
public sealed class StackEventFeed
{
    private readonly Dictionary<string, DeploymentActivity> _activity = [];
    private readonly Lock _gate = new();

    /// <summary>Raised with the environment's name after new events or a status change were saved.</summary>
    public event Action<string>? Changed;

    public void Publish(string environment) => Changed?.Invoke(environment);

    public void Report(DeploymentActivity activity)
    {
        lock (_gate) _activity[activity.Environment] = activity;
        Publish(activity.Environment);
    }

    public void Clear(string environment)
    {
        lock (_gate) _activity.Remove(environment);
        Publish(environment);
    }

    public DeploymentActivity? Activity(string environment)
    {
        lock (_gate) return _activity.GetValueOrDefault(environment);
    }
}
