using Portal.Infra.Deployments;
using Portal.Infra.Intake;

namespace Portal.Infra.Cli;

/// <summary>
/// <c>setup-target --target NAME</c>: deploys (or updates) the target's stack event intake (<see cref="IntakeStack"/>) as
/// the admin who runs it, and prints the setting that points the portal at its queue. Run again after an upgrade: it
/// changes only what the new version changed. Exit codes as deploy's: 0 done, 1 the stack did not deploy, 2 bad input.
/// </summary>
internal static class SetupTargetCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var targetName = line.Required("target");
        await using var host = await CliHost.StartAsync(targetName, ct);
        var queueUrl = await IntakeSetup.DeployAsync(host.Get<ChangeSets>(), host.Get<StackEventWatcher>(), host.CloudFormation,
            host.Target.CloudFormationRoleArn, (plan, update) =>
            {
                if (update is null)
                    output.WriteLine($"{plan.ChangeSetType.ToString().ToUpperInvariant()} {IntakeStack.DefaultStackName}: " +
                                     (plan.HasNoChanges ? "no changes" : $"{plan.Changes.Count} changes"));
                else
                    DeployCommands.Print(update, output, error);
            }, ct);
        output.WriteLine($"Set Targets:{targetName}:StackEventQueueUrl={queueUrl} (environment: Targets__{targetName}__StackEventQueueUrl) on every portal process.");
        return ExitCodes.Ok;
    }
}
