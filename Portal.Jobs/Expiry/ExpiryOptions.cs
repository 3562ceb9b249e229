namespace Portal.Jobs.Expiry;

/// <summary>Configuration section <c>Expiry</c>.</summary>
public sealed class ExpiryOptions
{
    public const string Section = "Expiry";

    /// <summary>How often the expiry job runs (a Hangfire cron expression, UTC; every 5 minutes by default).</summary>
    public string Schedule { get; set; } = "*/5 * * * *";
}
