using Amazon.CDK;
using Portal.Infra.Stacks;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Cli;

/// <summary>
/// The CDK CLI's entry point (cdk.json): <c>cdk synth -c spec=../samples/orders-dev.json</c>.
/// The CLI passes the output folder and context through the environment, which <see cref="App"/> reads.
/// </summary>
internal static class CdkAppCommand
{
    // In the process's own jsii temp folder, so jsii's files do not outlive the CDK CLI's run.
    public static int Run(TextWriter error) => JsiiTempFolder.Run(_ => Synthesize(error));

    private static int Synthesize(TextWriter error)
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
