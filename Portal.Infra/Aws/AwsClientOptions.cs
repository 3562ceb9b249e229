namespace Portal.Infra.Aws;

/// <summary>
/// How an AWS client retries, as the AWS SDKs do: exponential backoff with full jitter (a random delay between zero and
/// min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/> × 2^retry)), a timeout per attempt and a bound on each reply.
/// Every client of a target (CloudFormation, ECS, Elastic Load Balancing, CloudWatch Logs) takes the same options,
/// bound from configuration section <see cref="Section"/>, e.g. <c>CloudFormation__MaxAttempts=8</c>.
/// </summary>
public class AwsClientOptions
{
    /// <summary>Named after the first client that had these options; it configures every one of them.</summary>
    public const string Section = "CloudFormation";

    /// <summary>Sends per call, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one send may take before it counts as a timeout (and is retried when safe).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The largest reply read, in bytes; a longer one is an <see cref="AwsServiceException"/> (<c>ReplyTooLarge</c>), so
    /// an endpoint that answers without end cannot exhaust memory. Real replies (a page of 100 stack events, ten services
    /// with their events, a page of log events, which CloudWatch Logs keeps under 1 MB) stay far below the default 16 MiB.
    /// </summary>
    public long MaxReplyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The random factor of full jitter, in [0, 1); a fixed one in tests. Not configurable (not public).</summary>
    internal Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>The wait before retry number <paramref name="retry"/> (0 for the first).</summary>
    internal TimeSpan Backoff(int retry)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(Jitter() * ceiling);
    }

    internal void Validate()
    {
        if (MaxAttempts < 1)
            throw new ArgumentException($"{Section}:MaxAttempts must be at least 1 (got {MaxAttempts}).");
        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
            throw new ArgumentException($"{Section}:BaseDelay and {Section}:MaxDelay must not be negative.");
        if (AttemptTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"{Section}:AttemptTimeout must be positive (got {AttemptTimeout}).");
        if (MaxReplyBytes < 1)
            throw new ArgumentException($"{Section}:MaxReplyBytes must be at least 1 (got {MaxReplyBytes}).");
    }
}
