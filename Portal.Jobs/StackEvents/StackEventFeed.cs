namespace Portal.Jobs.StackEvents;

/// <summary>
/// In-process notifications: "environment X has new events (or a new status)", raised after they were saved, and open
/// pages re-read from the database after their last event id. A job of this process publishes directly; on PostgreSQL
/// <see cref="LiveNotificationListener"/> publishes what jobs of other processes announced (NOTIFY). Pages also
/// re-read the database every <see cref="LiveEventsOptions.CatchUpInterval"/>, the safety net for a missed notice.
/// </summary>
public sealed class StackEventFeed
{
    /// <summary>Raised with the environment's name after new events or a status change were saved.</summary>
    public event Action<string>? Changed;

    public void Publish(string environment) => Changed?.Invoke(environment);
}
