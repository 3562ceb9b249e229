using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Infra.Guardrails;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Cli;

/// <summary>
/// <c>plan</c>, <c>deploy</c> and <c>destroy</c>: the portal's deploy engine for operators and scripts, like
/// <c>cdk diff</c> and <c>cdk deploy</c>. Exit codes: 0 healthy, 1 failed (the real cause, when ECS, the load balancer or
/// the logs tell one, then CloudFormation's root cause), 2 bad input.
/// </summary>
internal static class DeployCommands
{
    public static async Task<int> PlanAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var host = await CliHost.StartAsync(line.Required("target"), ct);
        var planned = await PlanSpecAsync(host, line, output, error, ct);
        return planned is null ? ExitCodes.InvalidSpec : ExitCodes.Ok;
    }

    public static async Task<int> DeployAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var host = await CliHost.StartAsync(line.Required("target"), ct);
        var plan = await PlanSpecAsync(host, line, output, error, ct);
        if (plan is null) return ExitCodes.InvalidSpec;
        if (plan.HasNoChanges) return ExitCodes.Ok;
        await host.Get<ChangeSets>().ExecuteAsync(host.CloudFormation, plan.ChangeSetId, $"execute-{Guid.NewGuid():N}", ct);
        return await WatchAsync(host, new WatchRequest
        {
            StackName = plan.StackId,
            Since = plan.WatchSince,
            TotalResources = plan.Changes.Count,
        }, output, error, ct);
    }

    public static async Task<int> DestroyAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var name = line.Required("name");
        await using var host = await CliHost.StartAsync(line.Required("target"), ct);
        var stackName = new EnvironmentSpec { Name = name }.StackName;
        var stack = await ChangeSets.DescribeAsync(host.CloudFormation, stackName, ct);
        if (stack is null)
        {
            output.WriteLine($"Stack {stackName} does not exist on this target: nothing to destroy.");
            return ExitCodes.Ok;
        }
        var since = await StackEventWatcher.AfterNewestEventAsync(host.CloudFormation, stack.StackId, ct);
        var total = await StackEventWatcher.ResourceCountAsync(host.CloudFormation, stack.StackId, ct);
        output.WriteLine($"DELETE {stackName}: {total} resources");
        await host.CloudFormation.DeleteStackAsync(new DeleteStackRequest
        {
            StackName = stack.StackId,
            ClientRequestToken = $"destroy-{Guid.NewGuid():N}",
            RoleARN = host.Target.CloudFormationRoleArn,
        }, ct);
        return await WatchAsync(host, new WatchRequest { StackName = stack.StackId, Since = since, TotalResources = total }, output, error, ct);
    }

    /// <summary>Validates, synthesizes, checks the guardrail and plans; prints the changes. Null on bad input.</summary>
    private static async Task<ChangeSetPlan?> PlanSpecAsync(CliHost host, CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var spec = SpecFile.Read(line.Required("spec"), error);
        if (spec is null) return null;
        var synthesizer = host.Get<ITemplateSynthesizer>();
        var request = new SynthRequest(spec, System.Environment.UserName);
        var synth = await synthesizer.SynthesizeAsync(request, ct);
        var guardrail = await PlanGuardrails.CheckAsync(synthesizer, request, synth, ct);
        if (!guardrail.Passed)
        {
            foreach (var finding in guardrail.Findings) error.WriteLine($"guardrail {finding.Rule}: {finding.Message}");
            return null;
        }
        var plan = await host.Get<ChangeSets>().PlanAsync(host.CloudFormation, new PlanRequest
        {
            StackName = synth.StackName,
            TemplateBody = synth.TemplateJson,
            ChangeSetName = $"cli-{DateTime.UtcNow:yyyyMMddHHmmss}",
            ClientToken = Guid.NewGuid().ToString("N"),
            RoleArn = host.Target.CloudFormationRoleArn,
            Tags = [new Tag { Key = "portal:environment", Value = spec.Name }],
        }, ct);
        foreach (var note in plan.Notes) output.WriteLine(note);
        output.WriteLine($"{plan.ChangeSetType.ToString().ToUpperInvariant()} {synth.StackName}: " +
                         (plan.HasNoChanges ? "no changes" : $"{plan.Changes.Count} changes"));
        foreach (var change in plan.Changes)
        {
            var replace = change.Replacement is "True" or "Conditional"
                ? $"  replacement {change.Replacement}" + (change.ReplacementCauses.Count > 0 ? $" ({string.Join(", ", change.ReplacementCauses)})" : "")
                : "";
            output.WriteLine($"  {change.Action,-7} {change.ResourceType,-45} {change.LogicalResourceId}{replace}");
        }
        return plan;
    }

    private static async Task<int> WatchAsync(CliHost host, WatchRequest request, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await foreach (var update in host.Get<StackEventWatcher>().WatchAsync(host.CloudFormation, request, ct))
        {
            Print(update, output, error);
            if (update.Outcome is not { } outcome) continue;
            if (!outcome.Succeeded)
            {
                var cloudFormation = $"{outcome.StackStatus}: {outcome.RootCause?.ToString() ?? outcome.StackStatusReason}";
                // ECS, the load balancer or the logs name the real cause; CloudFormation's sentence follows it.
                var cause = (await StatusCommand.ReadAsync(host, request.StackName, ct))?.Cause;
                if (cause is not null)
                    error.WriteLine(cause);
                error.WriteLine(cause is null ? cloudFormation : $"CloudFormation: {cloudFormation}");
                return ExitCodes.Failed;
            }
            output.WriteLine(outcome.StackStatus);
            foreach (var o in outcome.Outputs) output.WriteLine($"  {o.OutputKey} = {o.OutputValue}");
            return ExitCodes.Ok;
        }
        return ExitCodes.Failed;
    }

    /// <summary>Each new event with "settled / total", and a retrying notice on stderr.</summary>
    public static void Print(WatchUpdate update, TextWriter output, TextWriter error)
    {
        foreach (var e in update.NewEvents)
            output.WriteLine($"{e.Timestamp:HH:mm:ss} [{update.Settled,3}/{update.Total?.ToString() ?? "?",-3}] {e.ResourceStatus,-30} {e.ResourceType,-45} {e.LogicalResourceId}" +
                             (string.IsNullOrEmpty(e.ResourceStatusReason) ? "" : $"  {e.ResourceStatusReason}"));
        if (update.Retrying is { } retrying)
            error.WriteLine($"retrying: {retrying.Message}");
    }
}
