using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Portal.Infra.Intake;

/// <summary>
/// A target's stack event intake: an EventBridge rule on CloudFormation's status changes of the portal's stacks (their
/// names begin <see cref="EnvironmentStackPrefix"/>) into an SQS queue the portal reads, with a dead-letter queue for
/// messages it could not take, and the queue policy that lets EventBridge (that rule only) send to the queue.
/// Deployed once per target by <c>setup-target</c>; its outputs name the queue.
/// </summary>
public sealed class IntakeStack : Stack
{
    /// <summary>Not "portal-…": no environment's stack can ever have this name.</summary>
    public const string DefaultStackName = "PortalStackEventIntake";

    /// <summary>Every environment's stack is named <c>portal-&lt;name&gt;</c> (EnvironmentSpec.StackName).</summary>
    public const string EnvironmentStackPrefix = "portal-";

    public const string QueueUrlOutput = "QueueUrl", QueueArnOutput = "QueueArn", DeadLetterQueueUrlOutput = "DeadLetterQueueUrl";

    /// <summary>Deliveries the portal failed to take this many times go to the dead-letter queue, for a person to look at.</summary>
    public const int MaxReceiveCount = 5;

    public IntakeStack(Construct scope, string stackName = DefaultStackName)
        : base(scope, stackName, new StackProps
        {
            StackName = stackName,
            Description = "Portal stack event intake: CloudFormation status changes of the portal's stacks, by EventBridge, into SQS",
            Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()),
            AnalyticsReporting = false,
        })
    {
        var deadLetters = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            // SQS's longest: two weeks to notice and look.
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        var queue = new Queue(this, "Queue", new QueueProps
        {
            // Events older than a deploy are of no use to a page, and polling reconciles what a stopped portal missed.
            RetentionPeriod = Duration.Days(1),
            // Longer than storing a batch takes; a message not deleted by then is delivered again.
            VisibilityTimeout = Duration.Seconds(60),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = deadLetters, MaxReceiveCount = MaxReceiveCount },
        });
        var rule = new Rule(this, "StackEvents", new RuleProps
        {
            Description = "CloudFormation status changes of the portal's stacks",
            EventPattern = new EventPattern
            {
                Source = ["aws.cloudformation"],
                DetailType = [PushedStackEvent.ResourceStatusChange, PushedStackEvent.StackStatusChange],
                Detail = new Dictionary<string, object>
                {
                    // This account's and region's stacks only, by their ARN: arn:<partition>:cloudformation:<region>:<account>:stack/portal-…
                    ["stack-id"] = Match.Prefix(FormatArn(new ArnComponents
                    {
                        Service = "cloudformation",
                        Resource = "stack",
                        ResourceName = EnvironmentStackPrefix,
                    })),
                },
            },
        });
        // Adds the queue policy: events.amazonaws.com may send, for this rule only (aws:SourceArn).
        rule.AddTarget(new SqsQueue(queue));

        _ = new CfnOutput(this, QueueUrlOutput, new CfnOutputProps { Value = queue.QueueUrl, Description = "Targets:<name>:StackEventQueueUrl" });
        _ = new CfnOutput(this, QueueArnOutput, new CfnOutputProps { Value = queue.QueueArn });
        _ = new CfnOutput(this, DeadLetterQueueUrlOutput, new CfnOutputProps { Value = deadLetters.QueueUrl });
    }
}
