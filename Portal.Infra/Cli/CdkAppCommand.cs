using Amazon.CDK;
using Portal.Infra.Stacks;

namespace Portal.Infra.Cli;

/// <summary>
/// The CDK CLI's entry point (cdk.json): <c>cdk synth -c spec=../samples/orders-dev.json</c>.
/// The CLI passes the output folder and context through the environment, which <see cref="App"/> reads.
/// </summary>
internal static class CdkAppCommand
{
    public static int Run(TextWriter error)
    {
        var app = new App();
        var specPath = app.Node.TryGetContext("spec") as string ?? Path.Combine("..", "samples", "orders-dev.json");
        var spec = SpecFile.Read(specPath, error);
        if (spec is null) return ExitCodes.InvalidSpec;
        _ = new TwoTierEnvironment(app, spec, System.Environment.UserName);
        app.Synth();
        return ExitCodes.Ok;
    }
}
