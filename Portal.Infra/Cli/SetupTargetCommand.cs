using Portal.Infra.Deployments;
using Portal.Infra.Intake;

namespace Portal.Infra.Cli;

/// <summary>
/// <c>setup-target --target NAME</c>: deploys (or updates) the target's stack event intake (<see cref="IntakeStack"/>) as
/// the admin who runs it, and prints the setting that points the portal at its queue. Run again after an upgrade: it
/// changes only what the new version changed.
/// </summary>
internal static class SetupTargetCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var targetName = line.Required("target");
        await using var host = await CliHost.StartAsync(targetName, ct);
        var plan = await IntakeSetup.PlanAsync(host.Get<ChangeSets>(), host.CloudFormation, host.Target.CloudFormationRoleArn, ct);
        output.WriteLine($"{plan.ChangeSetType.ToString().ToUpperInvariant()} {IntakeStack.DefaultStackName}: " +
                         (plan.HasNoChanges ? "no changes" : $"{plan.Changes.Count} changes"));
        if (!plan.HasNoChanges)
        {
            await host.Get<ChangeSets>().ExecuteAsync(host.CloudFormation, plan.ChangeSetId, $"intake-{Guid.NewGuid():N}", ct);
            var watched = await DeployCommands.WatchAsync(host,
                new WatchRequest { StackName = plan.StackId, Since = plan.WatchSince, TotalResources = plan.Changes.Count }, output, error, ct);
            if (watched != ExitCodes.Ok) return watched;
        }
        var queueUrl = await IntakeSetup.QueueUrlAsync(host.CloudFormation, ct);
        if (queueUrl is null)
        {
            error.WriteLine($"{IntakeStack.DefaultStackName} has no {IntakeStack.QueueUrlOutput} output.");
            return ExitCodes.Failed;
        }
        output.WriteLine($"Set Targets:{targetName}:StackEventQueueUrl={queueUrl} (environment: Targets__{targetName}__StackEventQueueUrl) on every portal process.");
        return ExitCodes.Ok;
    }
}
