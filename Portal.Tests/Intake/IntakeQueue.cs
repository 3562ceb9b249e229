using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Intake;
using Portal.Sandbox;

namespace Portal.Tests.Intake;

/// <summary>The portal's intake stack in a sandbox, deployed as <c>setup-target</c> deploys it.</summary>
internal static class IntakeQueue
{
    /// <summary>Deploys the intake stack into <paramref name="sandbox"/> and returns its queue's URL.</summary>
    public static async Task<string> DeployAsync(SandboxServer sandbox)
    {
        var options = sandbox.CloudFormation.Options;
        using var cloudFormation = CloudFormationClient.Create(sandbox.Url, new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), options.Region);
        var watch = new WatchOptions { ActiveInterval = TimeSpan.FromMilliseconds(100), QuietInterval = TimeSpan.FromMilliseconds(300) };
        var watcher = new StackEventWatcher(watch);
        return await IntakeSetup.DeployAsync(new ChangeSets(watcher, Options.Create(watch), TimeProvider.System), watcher, cloudFormation,
            roleArn: null, (_, _) => { }, CancellationToken.None);
    }
}
