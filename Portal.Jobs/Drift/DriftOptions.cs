namespace Portal.Jobs.Drift;

/// <summary>Configuration section <c>Drift</c>.</summary>
public sealed class DriftOptions
{
    public const string Section = "Drift";

    /// <summary>Cron expression (UTC) of the sweep that checks every deployed environment; empty or "off" turns it off. Default: daily at 03:00.</summary>
    public string Schedule { get; set; } = "0 3 * * *";

    /// <summary>How long a check waits for CloudFormation's detection before it gives up (failed).</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait between DescribeStackDriftDetectionStatus calls.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public bool ScheduleIsOff => string.IsNullOrWhiteSpace(Schedule) || string.Equals(Schedule.Trim(), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws naming the first invalid setting (the schedule is checked when it is registered with Hangfire).</summary>
    public void Validate()
    {
        if (Deadline <= TimeSpan.Zero)
            throw new ArgumentException($"{Section}:Deadline must be positive (was {Deadline}).");
        if (PollInterval <= TimeSpan.Zero || PollInterval > Deadline)
            throw new ArgumentException($"{Section}:PollInterval must be positive and at most the deadline (was {PollInterval}).");
    }
}
