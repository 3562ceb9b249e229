using Amazon.Runtime;
using Portal.Infra.CloudFormation;
using Portal.Infra.Sandbox;
using Portal.Infra.Targets;

namespace Portal.Tests.Sandbox;

public static class SandboxServerExtensions
{
    /// <summary>Every event the sandbox has for the stack (all DescribeStackEvents pages): what a watcher must have stored.</summary>
    public static async Task<int> CountEventsAsync(this SandboxServer sandbox, string stackName) =>
        (await sandbox.EventsAsync(stackName)).Count;

    /// <summary>Every event of the stack (by name, or by id once it is deleted), newest first.</summary>
    public static async Task<IReadOnlyList<StackEvent>> EventsAsync(this SandboxServer sandbox, string stackName)
    {
        using var client = sandbox.Client();
        var events = new List<StackEvent>();
        string? next = null;
        do
        {
            var page = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackName, NextToken = next });
            events.AddRange(page.StackEvents);
            next = page.NextToken;
        } while (next is not null);
        return events;
    }

    /// <summary>A client of the sandbox with its dummy credentials, as a portal target uses it.</summary>
    public static CloudFormationClient Client(this SandboxServer sandbox) =>
        CloudFormationClient.Create(sandbox.Url,
            new BasicAWSCredentials(SandboxCredentials.AccessKeyId, SandboxCredentials.SecretAccessKey), "us-east-1");
}
