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
            // Unique even for two runs within a second.
            ChangeSetName = $"intake-{Guid.NewGuid():N}",
            ClientToken = Guid.NewGuid().ToString("N"),
            RoleArn = roleArn,
            Tags = [new CloudFormation.Tag { Key = "portal:intake", Value = "stack-events" }],
        }, cancellationToken);

    /// <summary>
    /// Brings the target's intake stack up to date (plan, execute, watch until it settles), telling
    /// <paramref name="progress"/> of the plan and of each watch update, and returns the queue URL it gives.
    /// </summary>
    /// <exception cref="PlanFailedException">The stack did not deploy; the message says why.</exception>
    public static async Task<string> DeployAsync(ChangeSets changeSets, StackEventWatcher watcher, ICloudFormation cloudFormation, string? roleArn,
        Action<ChangeSetPlan, WatchUpdate?> progress, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(changeSets, cloudFormation, roleArn, cancellationToken);
        progress(plan, null);
        if (!plan.HasNoChanges)
        {
            await changeSets.ExecuteAsync(cloudFormation, plan.ChangeSetId, $"intake-{Guid.NewGuid():N}", cancellationToken);
            var request = new WatchRequest { StackName = plan.StackId, Since = plan.WatchSince, TotalResources = plan.Changes.Count };
            await foreach (var update in watcher.WatchAsync(cloudFormation, request, cancellationToken))
            {
                progress(plan, update);
                if (update.Outcome is { Succeeded: false } failed)
                    throw new PlanFailedException($"{IntakeStack.DefaultStackName}: {failed.StackStatus}: {failed.RootCause?.ToString() ?? failed.StackStatusReason}");
            }
        }
        return await QueueUrlAsync(cloudFormation, cancellationToken)
               ?? throw new PlanFailedException($"{IntakeStack.DefaultStackName} has no {IntakeStack.QueueUrlOutput} output.");
    }

    /// <summary>The queue URL the deployed intake stack gives; null while there is no such stack.</summary>
    public static async Task<string?> QueueUrlAsync(ICloudFormation cloudFormation, CancellationToken cancellationToken) =>
        (await ChangeSets.DescribeAsync(cloudFormation, IntakeStack.DefaultStackName, cancellationToken))?.Outputs
        .FirstOrDefault(o => o.OutputKey == IntakeStack.QueueUrlOutput)?.OutputValue;
}
