using Portal.Infra.Cli;

namespace Portal.Infra;

/// <summary>Portal.Infra as a command: synth, cdk-app, plan, deploy and destroy (see <see cref="CliCommandTable"/>).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        return await CliCommandTable.RunAsync(args, Console.Out, Console.Error, cts.Token);
    }
}
