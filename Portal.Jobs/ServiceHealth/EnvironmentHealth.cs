using Portal.Infra.ServiceHealth;

namespace Portal.Jobs.ServiceHealth;

/// <summary>Where an environment's health stands, as the health panel, the API and the map show it.</summary>
public enum EnvironmentHealthState
{
    /// <summary>Every service runs its desired tasks behind healthy targets.</summary>
    Healthy,

    /// <summary>A service runs fewer tasks than it wants, or a target is not healthy.</summary>
    Unhealthy,

    /// <summary>A deploy is changing it: the reading is the deploy's own, stored with its revision.</summary>
    Deploying,

    /// <summary>Its stack was deleted outside the portal.</summary>
    StackMissing,

    /// <summary>No stack stands (not deployed yet, failed to create, or destroyed): there is nothing to read.</summary>
    NotDeployed,

    /// <summary>AWS did not answer the reading (it is tried again on the next ask).</summary>
    Unavailable,
}

/// <summary>
/// An environment's health: its state, and the reading it comes from (null when there is none). Deployed environments are
/// read when asked (at most once per <see cref="ServiceHealthOptions.HealthCacheDuration"/>); a deploying one shows its
/// deploy's latest reading.
/// </summary>
public sealed record EnvironmentHealth(string Environment, EnvironmentHealthState State, ServiceDiagnosis? Diagnosis, DateTimeOffset? StackMissingSince)
{
    /// <summary>One sentence for the panel and the CLI-like summary of the API.</summary>
    public string Summary => State switch
    {
        EnvironmentHealthState.Healthy => "every service runs its desired tasks behind healthy targets",
        EnvironmentHealthState.Unhealthy => Diagnosis?.Cause ?? string.Join("; ", (Diagnosis?.Services ?? []).Where(s => !s.IsHealthy).Select(Shortfall)),
        EnvironmentHealthState.Deploying => "a deploy is changing it; the readings are its deploy's",
        EnvironmentHealthState.StackMissing => "the stack was deleted outside the portal; the next revision creates it again",
        EnvironmentHealthState.NotDeployed => "no stack stands, so there is nothing to read",
        _ => "AWS did not answer; it is asked again on the next refresh",
    };

    private static string Shortfall(ServiceReport s) =>
        s.Targets is { } t && t.Healthy < t.Total
            ? $"{s.Component}: {s.Running} of {s.Desired} tasks running, {t.Healthy} of {t.Total} targets healthy"
            : $"{s.Component}: {s.Running} of {s.Desired} tasks running";
}
