using Portal.Infra.Cli;

namespace Portal.Infra;

/// <summary>Portal.Infra as a command: synth, cdk-app and bench-synth (and the deploy commands of the CloudFormation work).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return args.FirstOrDefault() switch
            {
                "synth" => await SynthCommand.RunAsync(CommandLine.Parse(args, "spec", "out"), Console.Out, Console.Error, cts.Token),
                "bench-synth" => await SynthBenchmarkCommand.RunAsync(CommandLine.Parse(args, "spec", "runs"), Console.Out, Console.Error, cts.Token),
                "bench-deploy" => await DeployBenchmarkCommand.RunAsync(CommandLine.Parse(args, "environments", "time-scale", "throttle", "spec"), Console.Out, Console.Error, cts.Token),
                "cdk-app" => CdkAppCommand.Run(Console.Error),
                "plan" => await DeployCommands.PlanAsync(CommandLine.Parse(args, "spec", "target"), Console.Out, Console.Error, cts.Token),
                "deploy" => await DeployCommands.DeployAsync(CommandLine.Parse(args, "spec", "target"), Console.Out, Console.Error, cts.Token),
                "destroy" => await DeployCommands.DestroyAsync(CommandLine.Parse(args, "name", "target"), Console.Out, Console.Error, cts.Token),
                _ => throw new UsageException("usage: Portal.Infra synth --spec FILE [--out DIR] | plan --spec FILE --target NAME | deploy --spec FILE --target NAME | destroy --name NAME --target NAME | bench-synth [--spec FILE] [--runs N] | bench-deploy [--environments N] [--time-scale X] [--throttle R] [--spec FILE]"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.InvalidSpec;
        }
    }
}
