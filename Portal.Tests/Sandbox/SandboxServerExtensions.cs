using Portal.Infra.CloudFormation;
using Portal.Sandbox;

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

    /// <summary>The portal's client of the sandbox, signing with the credentials the sandbox verifies, as a Sandbox target does.</summary>
    public static CloudFormationClient Client(this SandboxServer sandbox) =>
        CloudFormationClient.Create(sandbox.Url, SandboxSigning.Credentials(sandbox.CloudFormation.Options), "us-east-1");
}
