using Amazon.Runtime;
using Amazon.SQS;
using Portal.Infra.Aws;

namespace Portal.Infra.Intake;

/// <summary>The SQS client of each target whose <c>StackEventQueueUrl</c> is set; null for the others.</summary>
public interface IStackEventQueueClients
{
    IAmazonSQS? For(string targetName);
}

/// <summary>Builds the SQS client that reads a target's intake queue: AWSSDK.SQS, signed as the target's other clients.</summary>
public static class StackEventQueueClient
{
    public const string SigningService = "sqs";

    /// <summary>
    /// Long polls wait up to 20 s for a message, so an attempt may last that long before the reply; the SDK's own
    /// retries (throttling, 5xx) follow the portal's attempt count.
    /// </summary>
    public static AmazonSQSClient Create(Uri endpoint, AWSCredentials credentials, string region, AwsClientOptions options) =>
        new(credentials, new AmazonSQSConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            MaxErrorRetry = options.MaxAttempts - 1,
            Timeout = TimeSpan.FromSeconds(20) + options.AttemptTimeout,
        });
}
