using System.Text.Json;
using Amazon.CDK;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Intake;

/// <summary>Plans a target's <see cref="IntakeStack"/> and reads the queue it made.</summary>
public static class IntakeSetup
{
    /// <summary>The intake stack's template: nothing in it comes from a person, so it is the same for every target.</summary>
    public static Task<string> TemplateAsync(CancellationToken cancellationToken) =>
        TemplateSynthesizer.RunJsiiAsync(folder =>
        {
            var outdir = Directory.CreateDirectory(Path.Combine(folder, "intake-" + Path.GetRandomFileName()));
            try
            {
                var app = new App(new AppProps { Outdir = outdir.FullName, AnalyticsReporting = false, TreeMetadata = false });
                var stack = new IntakeStack(app);
                var assembly = app.Synth();
                var template = File.ReadAllText(Path.Combine(assembly.Directory, assembly.GetStackArtifact(stack.ArtifactId).TemplateFile));
                return JsonDocument.Parse(template).RootElement.GetRawText();
            }
            finally
            {
                outdir.Delete(recursive: true);
            }
        }, cancellationToken);

    /// <summary>The change set that brings the target's intake stack to this portal's version of it.</summary>
    public static async Task<ChangeSetPlan> PlanAsync(ChangeSets changeSets, ICloudFormation cloudFormation, string? roleArn, CancellationToken cancellationToken) =>
        await changeSets.PlanAsync(cloudFormation, new PlanRequest
        {
            StackName = IntakeStack.DefaultStackName,
            TemplateBody = await TemplateAsync(cancellationToken),
            ChangeSetName = $"intake-{DateTime.UtcNow:yyyyMMddHHmmss}",
            ClientToken = Guid.NewGuid().ToString("N"),
            RoleArn = roleArn,
            Tags = [new CloudFormation.Tag { Key = "portal:intake", Value = "stack-events" }],
        }, cancellationToken);

    /// <summary>The queue URL the deployed intake stack gives; null while there is no such stack.</summary>
    public static async Task<string?> QueueUrlAsync(ICloudFormation cloudFormation, CancellationToken cancellationToken) =>
        (await ChangeSets.DescribeAsync(cloudFormation, IntakeStack.DefaultStackName, cancellationToken))?.Outputs
        .FirstOrDefault(o => o.OutputKey == IntakeStack.QueueUrlOutput)?.OutputValue;
}
