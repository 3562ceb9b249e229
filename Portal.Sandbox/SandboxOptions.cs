using System.Globalization;

namespace Portal.Sandbox;

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

    /// <summary>
    /// The access key id requests must be signed with (SigV4). Not an AWS credential: it only admits the portal's own
    /// clients (a Sandbox target signs with the same <c>Sandbox:AccessKeyId</c>). The default is a development value.
    /// </summary>
    public string AccessKeyId { get; set; } = "AKIDPORTALSANDBOX000";

    /// <summary>The secret that signs requests with <see cref="AccessKeyId"/>. The default is a development value, no secret.</summary>
    public string SecretAccessKey { get; set; } = "portal-sandbox-not-a-secret";

    /// <summary>Largest request body read (bytes): a bigger one is answered 413 without being read.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Stacks that exist (all but deleted ones); one more is refused with LimitExceededException, as AWS's stack quota is.</summary>
    public int MaxStacks { get; set; } = 200;

    /// <summary>
    /// Change sets a stack keeps. A new one beyond this replaces the oldest that can no longer be executed (executed,
    /// obsolete, failed); with none such it is refused with LimitExceededException.
    /// </summary>
    public int MaxChangeSetsPerStack { get; set; } = 10;

    /// <summary>Events a stack keeps: the newest; older ones are dropped.</summary>
    public int MaxEventsPerStack { get; set; } = 1000;

    /// <summary>Drift detections a stack keeps: the newest; an older one's id is then unknown.</summary>
    public int MaxDriftDetectionsPerStack { get; set; } = 5;

    /// <summary>Deleted stacks kept (visible by stack id, as AWS shows them for 90 days): the most recently deleted.</summary>
    public int MaxDeletedStacks { get; set; } = 50;

    /// <summary>
    /// Messages an SQS queue holds (visible, in flight or delayed). One more drops the oldest, counted and logged: AWS has
    /// no such cap (it holds messages for their retention period only), but the sandbox's account must stay bounded, and a
    /// queue is written whole to disk at each change, so a large backlog makes every answer slower.
    /// </summary>
    public int MaxMessagesPerQueue { get; set; } = 1000;

    /// <summary>
    /// CloudFormation's budget for read calls (Describe*, List*, Get*), a token bucket per account and region (one here:
    /// the sandbox is one account in one region). AWS's is not published; public reports put DescribeStacks at about 5
    /// requests per second per account and region, not raisable (https://github.com/aws/aws-sam-cli/issues/2671; teams
    /// with 30 and more deploys in parallel meet <c>Throttling: Rate exceeded</c>,
    /// https://github.com/aws/aws-cdk-cli/issues/1777), hence the defaults.
    /// Beyond it a call is answered as CloudFormation throttles: 400 <c>Throttling</c> "Rate exceeded".
    /// </summary>
    public ReadBudgetOptions ReadBudget { get; set; } = new();

    /// <summary>
    /// The folder that keeps the sandbox's account (stacks with their change sets, events, resources, drift detections and
    /// operations in progress, deleted stacks), so that it outlives the process as an AWS account does; written before
    /// every answer. Unset: in memory, gone with the process. The portal's web host defaults it to <c>sandbox</c> in its
    /// data folder (<c>Portal:DataDir</c>). One sandbox per folder.
    /// </summary>
    public string? DataFolder { get; set; }

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
        // The access key is the first part of a SigV4 Credential; neither value is echoed.
        if (string.IsNullOrEmpty(AccessKeyId) || AccessKeyId.Length > 128 || !AccessKeyId.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"{SectionName}:AccessKeyId must be 1 to 128 letters and digits.");
        if (string.IsNullOrEmpty(SecretAccessKey))
            throw new ArgumentException($"{SectionName}:SecretAccessKey must not be empty.");
        AtLeast(MaxRequestBytes, 256 * 1024, nameof(MaxRequestBytes)); // room for a template at CloudFormation's 51,200-byte limit, form-encoded
        AtLeast(MaxStacks, 1, nameof(MaxStacks));
        AtLeast(MaxChangeSetsPerStack, 1, nameof(MaxChangeSetsPerStack));
        AtLeast(MaxEventsPerStack, 1, nameof(MaxEventsPerStack));
        AtLeast(MaxDriftDetectionsPerStack, 1, nameof(MaxDriftDetectionsPerStack));
        AtLeast(MaxDeletedStacks, 0, nameof(MaxDeletedStacks));
        AtLeast(MaxMessagesPerQueue, 1, nameof(MaxMessagesPerQueue));
        if (!(ReadBudget.RatePerSecond >= 0) || double.IsInfinity(ReadBudget.RatePerSecond))
            throw new ArgumentException($"{SectionName}:ReadBudget:RatePerSecond must be a finite number >= 0 (was {ReadBudget.RatePerSecond}).");
        if (ReadBudget.RatePerSecond > 0)
            AtLeast(ReadBudget.Burst, 1, "ReadBudget:Burst");
        if (!string.IsNullOrEmpty(DataFolder) && DataFolder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw new ArgumentException($"{SectionName}:DataFolder must be a folder path (was '{DataFolder}').");
    }

    private static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} must be at least {minimum:N0} (was {value:N0})."));
    }
}

/// <summary>
/// The budget of CloudFormation read calls (<c>Sandbox:ReadBudget</c>): a token bucket that holds <see cref="Burst"/>
/// calls and refills at <see cref="RatePerSecond"/>. It refills on the sandbox's simulated clock, as every duration of
/// the sandbox passes: scaled by <see cref="SandboxOptions.TimeScale"/>, so the budget keeps its proportion to the
/// simulated deploys it watches. At TimeScale 1 it is AWS's 5 a second; at the tests' 0.002 it is 2,500 a second, which
/// no existing test reaches; at TimeScale 0 (everything instant) there is no budget.
/// </summary>
public sealed class ReadBudgetOptions
{
    /// <summary>Calls a simulated second; 0 switches the budget off.</summary>
    public double RatePerSecond { get; set; } = 5;

    /// <summary>Calls the bucket holds when full: a burst this large passes at once.</summary>
    public int Burst { get; set; } = 10;
}
