using Portal.Infra.CloudFormation;
using Portal.Infra.Cli;
using Portal.Infra.Deployments;

namespace Portal.Benchmarks.Commands;

/// <summary>
/// <c>bench-synth [--spec FILE] [--runs N]</c> and <c>bench-deploy [--environments N] [--time-scale X] [--throttle R]
/// [--spec FILE]</c>: the engine without the portal around it. A usage error is one line on stderr and exit code 2; a
/// deploy that could not be done, 1.
/// </summary>
internal static class EngineBenchmarkCommands
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        try
        {
            return args[0] == "bench-synth"
                ? await SynthBenchmarkCommand.RunAsync(CommandLine.Parse(args, "spec", "runs"), output, error, interrupted.Token)
                : await DeployBenchmarkCommand.RunAsync(CommandLine.Parse(args, "environments", "time-scale", "throttle", "spec"), output, error, interrupted.Token);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.InvalidSpec;
        }
        catch (Exception e) when (e is PlanFailedException or CloudFormationException or HttpRequestException or TimeoutException)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }
    }
}
