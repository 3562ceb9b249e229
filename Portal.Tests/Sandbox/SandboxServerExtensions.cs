using Amazon.Runtime;
using Portal.Infra.CloudFormation;
using Portal.Infra.Sandbox;
using Portal.Infra.Targets;

namespace Portal.Tests.Sandbox;

public static class SandboxServerExtensions
{
    /// <summary>Every event the sandbox has for the stack (all DescribeStackEvents pages): what a watcher must have stored.</summary>
    public static async Task<int> CountEventsAsync(this SandboxServer sandbox, string stackName)
    {
        using var client = CloudFormationClient.Create(sandbox.Url,
            new BasicAWSCredentials(SandboxCredentials.AccessKeyId, SandboxCredentials.SecretAccessKey), "us-east-1");
        var count = 0;
        string? next = null;
        do
        {
            var page = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackName, NextToken = next });
            count += page.StackEvents.Count;
            next = page.NextToken;
        } while (next is not null);
        return count;
    }
}
