using Amazon.Runtime;
using Portal.Infra.Aws;
using Portal.Infra.Deployments;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Cli;

/// <summary>
/// The command line: runs one command and turns every failure a user can meet into one line on stderr and an
/// exit code (<see cref="ExitCodes"/>) instead of a stack trace.
/// </summary>
internal static class CliCommandTable
{
    public const string Usage =
        "usage: Portal.Infra synth --spec FILE [--out DIR] | plan --spec FILE --target NAME | deploy --spec FILE --target NAME | " +
        "destroy --name NAME --target NAME | status --name NAME --target NAME | setup-target --target NAME";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "synth" => await SynthCommand.RunAsync(CommandLine.Parse(args, "spec", "out"), output, error, ct),
                "cdk-app" => CdkAppCommand.Run(error),
                "plan" => await DeployCommands.PlanAsync(CommandLine.Parse(args, "spec", "target"), output, error, ct),
                "deploy" => await DeployCommands.DeployAsync(CommandLine.Parse(args, "spec", "target"), output, error, ct),
                "destroy" => await DeployCommands.DestroyAsync(CommandLine.Parse(args, "name", "target"), output, error, ct),
                "status" => await StatusCommand.RunAsync(CommandLine.Parse(args, "name", "target"), output, error, ct),
                "setup-target" => await SetupTargetCommand.RunAsync(CommandLine.Parse(args, "target"), output, error, ct),
                _ => throw new UsageException(Usage),
            };
        }
        catch (Exception e) when (ExitCodeFor(e) is { } exitCode)
        {
            error.WriteLine(OneLine(e.Message));
            return exitCode;
        }
    }

    /// <summary>Bad input is 2, a plan, deploy or destroy that could not be done is 1; anything else is a bug and keeps its trace.</summary>
    private static int? ExitCodeFor(Exception e) => e switch
    {
        UsageException or SynthesisException => ExitCodes.InvalidSpec,
        // Refused change sets, a busy stack, no permission, invalid credentials (CloudFormation's, ECS's… 403s), retries exhausted.
        PlanFailedException or AwsServiceException => ExitCodes.Failed,
        // The endpoint could not be reached, or credentials could not be resolved or assumed (AWSSDK.Core, STS).
        HttpRequestException or TimeoutException or AmazonClientException or AmazonServiceException => ExitCodes.Failed,
        _ => null,
    };

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
