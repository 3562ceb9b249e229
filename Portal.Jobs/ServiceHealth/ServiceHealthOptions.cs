namespace Portal.Jobs.ServiceHealth;

/// <summary>Configuration section <c>ServiceHealth</c>: how often and how long the portal asks ECS, ELB and Logs about services.</summary>
public sealed class ServiceHealthOptions
{
    public const string Section = "ServiceHealth";

    /// <summary>How often a deploy reads its services while it runs (the page shows tasks and events as they come).</summary>
    public TimeSpan DeployReadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one reading may take before it is given up (a reading never fails a deploy).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a deployed environment's health, once read, answers every page and API client on this instance: many
    /// open pages cost one reading per environment per this period.
    /// </summary>
    public TimeSpan HealthCacheDuration { get; set; } = TimeSpan.FromSeconds(10);
}
