namespace Portal.Jobs.StackEvents;

/// <summary>Configuration section <c>LiveEvents</c>: how live views follow a deploy.</summary>
public sealed class LiveEventsOptions
{
    public const string Section = "LiveEvents";

    /// <summary>
    /// How often a live view (deploy panel, event stream) re-reads the database without being told: the delay for
    /// events another process stored when no notification reached this one (SQLite, or a PostgreSQL listener that
    /// is reconnecting).
    /// </summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Event streams (<c>/events/stream</c>) one user may hold open on one web instance; the next is answered 429, so one
    /// client or token cannot tie up the instance's connections and database reads.
    /// </summary>
    public int MaxStreamsPerUser { get; set; } = 10;
}
