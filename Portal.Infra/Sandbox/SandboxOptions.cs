namespace Portal.Infra.Sandbox;

/// <summary>Settings of the sandbox CloudFormation endpoint (configuration section "Sandbox").</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>
    /// Multiplies every simulated duration (change set creation, each resource). 1.0 is close to real AWS
    /// (the two-tier environment takes about 220 s to create, as long to delete); the default 0.25 makes a
    /// demo deploy take about a minute; tests use around 0.001.
    /// </summary>
    public double TimeScale { get; set; } = 0.25;

    /// <summary>Fraction (0..1) of calls answered with a 400 <c>Throttling</c> "Rate exceeded" error.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Region used in ARNs, availability zones, DNS names and the <c>AWS::Region</c> pseudo parameter.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Account used in ARNs and the <c>AWS::AccountId</c> pseudo parameter.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>Stack events per DescribeStackEvents page.</summary>
    public int EventsPageSize { get; set; } = 100;

    /// <summary>Changes per DescribeChangeSet page.</summary>
    public int ChangesPageSize { get; set; } = 100;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(TimeScale >= 0) || double.IsInfinity(TimeScale))
            throw new ArgumentException($"{SectionName}:TimeScale must be a finite number >= 0 (was {TimeScale}).");
        if (!(ThrottleRate is >= 0 and <= 1))
            throw new ArgumentException($"{SectionName}:ThrottleRate must be between 0 and 1 (was {ThrottleRate}).");
        if (string.IsNullOrWhiteSpace(Region) || !Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException($"{SectionName}:Region must be an AWS region name such as us-east-1 (was '{Region}').");
        if (AccountId is not { Length: 12 } || !AccountId.All(char.IsAsciiDigit))
            throw new ArgumentException($"{SectionName}:AccountId must be 12 digits (was '{AccountId}').");
        if (EventsPageSize < 1)
            throw new ArgumentException($"{SectionName}:EventsPageSize must be at least 1 (was {EventsPageSize}).");
        if (ChangesPageSize < 1)
            throw new ArgumentException($"{SectionName}:ChangesPageSize must be at least 1 (was {ChangesPageSize}).");
    }
}
