namespace Portal.Infra.Budgets;

/// <summary>A token bucket's size: <see cref="PerSecond"/> tokens added each second, at most <see cref="Burst"/> held.</summary>
public sealed record CallRate(double PerSecond, int Burst)
{
    /// <summary>How many tokens the bucket must hold for a call of <paramref name="priority"/> to take one.</summary>
    public double Floor(CallPriority priority) => priority == CallPriority.Action ? 1 - Burst : 1;

    /// <summary>How long until a bucket holding <paramref name="tokens"/> reaches <paramref name="floor"/>.</summary>
    public TimeSpan Until(double tokens, double floor) => TimeSpan.FromSeconds(Math.Max(0, floor - tokens) / PerSecond);
}
