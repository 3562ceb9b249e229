namespace Portal.Sandbox;

/// <summary>
/// CloudFormation's budget of read calls (<see cref="SandboxOptions.ReadBudget"/>): a token bucket refilled on the
/// sandbox's clock, at the rate scaled by <see cref="SandboxOptions.TimeScale"/> (a simulated second lasts TimeScale
/// seconds of the clock). Thread-safe.
/// </summary>
internal sealed class ReadBudget(ReadBudgetOptions options, double timeScale, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly double _perClockSecond = timeScale > 0 ? options.RatePerSecond / timeScale : 0;
    private double _tokens = options.Burst;
    private DateTimeOffset _filledAt = time.GetUtcNow();

    /// <summary>Whether reads are budgeted at all (a rate, and simulated time that passes).</summary>
    public bool Enabled => _perClockSecond > 0;

    /// <summary>
    /// Reads are what CloudFormation throttles at its low read rate: Describe*, List*, Get* (and Estimate*, which changes
    /// nothing either). Detect* is not: it starts a drift detection, an operation with quotas of its own.
    /// </summary>
    public static bool IsRead(string action) =>
        action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal) ||
        action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("Estimate", StringComparison.Ordinal);

    /// <summary>Takes one call from the bucket; false when it is empty (the call is throttled).</summary>
    public bool TryTake()
    {
        if (!Enabled)
            return true;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now > _filledAt)
            {
                _tokens = Math.Min(options.Burst, _tokens + (now - _filledAt).TotalSeconds * _perClockSecond);
                _filledAt = now;
            }
            if (_tokens < 1)
                return false;
            _tokens--;
            return true;
        }
    }
}
