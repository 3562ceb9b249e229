using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Intake;
using Portal.Infra.Targets;
using Portal.Sandbox;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Hundreds of environments deploying at once (200 by default) in one account whose CloudFormation read budget is the
/// sandbox's default, once with stack events pushed through the target's intake and once polled alone, side by side:
/// whether all deploy, whether any call was throttled, the busiest read rate against the budget, each event's latency
/// to its SSE client, and the peak memory of the portal and its Node. A fresh sandbox and portal for each, at the
/// scenario's own time scale (<see cref="BenchmarkOptions.AccountTimeScale"/>).
/// </summary>
internal sealed class AccountScaleScenario : IScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    /// <summary>The read rate is judged over this window: a token bucket may spend its burst within any one second.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    public string Key => "account";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        foreach (var push in (bool[])[true, false])
            await RunAsync(run, push, cancellationToken);
    }

    private static async Task RunAsync(BenchmarkRun run, bool push, CancellationToken cancellationToken)
    {
        var count = run.Options.AccountEnvironments;
        var scale = run.Options.AccountTimeScale;
        var mode = push ? "pushed" : "polled";
        // Its read budget at the default; room for every environment's stack and the intake's.
        var sandboxOptions = new SandboxOptions { TimeScale = scale, MaxStacks = count + 10 };
        // Calls a real second: the budget refills on the sandbox's clock, which runs 1 / TimeScale times as fast.
        var budget = sandboxOptions.ReadBudget.RatePerSecond / scale;
        var figures = new
        {
            Settled = new Figure($"{count} at once, events {mode}: deployed", Unit.Count, Goal.All(count)),
            // Retried by the client: a deploy that failed by throttling would be missing from "deployed".
            Throttled = new Figure($"{count} at once, events {mode}: calls throttled (and retried)", Unit.Count),
            // What the portal takes in: CloudFormation's events by their own time, after the approvals.
            Events = new Figure($"{count} at once, events {mode}: stack events raised, busiest {RateWindow.TotalSeconds:0} s", Unit.Rate),
            ReadsPerDeploy = new Figure($"{count} at once, events {mode}: CloudFormation reads per deploy, approval → settled", Unit.Count),
            Reads = new Figure($"{count} at once, events {mode}: busiest read rate ({RateWindow.TotalSeconds:0} s), budget {budget:0}/s", Unit.Rate, Goal.AtMost(budget, Unit.Rate)),
            Wall = new Figure($"{count} at once, events {mode}: last approval → all settled", Unit.Seconds),
            P95 = new Figure($"{count} at once, events {mode}: stack event → SSE client, p95", Unit.Milliseconds,
                push ? Goal.AtMost(2000, Unit.Milliseconds) : null),
            PortalMemory = new Figure($"{count} at once, events {mode}: peak memory, portal process", Unit.MiB),
            NodeMemory = new Figure($"{count} at once, events {mode}: peak memory, Node (jsii) child", Unit.MiB),
        };

        await using var sandbox = await SandboxCalls.StartAsync(sandboxOptions, cancellationToken);
        var settings = new Dictionary<string, string>
        {
            // The portal's own share of the budget, in the sandbox's time as the built-in sandbox's targets get it.
            ["Targets:sandbox:CallsPerSecond"] = (Target.DefaultCallsPerSecond / scale).ToString(CultureInfo.InvariantCulture),
            // A deploy holds a job worker while it watches: every environment deploys at once, none waits for a worker.
            ["Jobs:WorkerCount"] = (count + 20).ToString(CultureInfo.InvariantCulture),
        };
        if (push)
            settings["Targets:sandbox:StackEventQueueUrl"] = await SetUpIntakeAsync(sandbox, sandboxOptions, cancellationToken);

        await using var portal = await PublishedPortal.StartAsync(run.Options, Path.Combine(run.Folder($"account-{mode}"), "data"),
            new Dictionary<string, Uri> { ["sandbox"] = sandbox.Url }, cancellationToken, settings);
        var deploys = await DeploysAtOnce.RunAsync(portal, $"account ({mode})", $"a{run.Repeat}", count, Deadline, cancellationToken);

        run.Figures.Record(figures.Settled, deploys.Deployed);
        run.Figures.Record(figures.Throttled, sandbox.Throttled);
        run.Figures.Record(figures.Reads, sandbox.PeakReadRate(deploys.Approved, RateWindow));
        run.Figures.Record(figures.Events, BenchmarkFigures.PeakRate(deploys.Events.Select(e => e.Timestamp).Where(t => t >= deploys.Approved), RateWindow));
        run.Figures.Record(figures.ReadsPerDeploy, (double)sandbox.Count(call => SandboxCalls.IsRead(call.Action), deploys.Approved) / count);
        run.Figures.Record(figures.Wall, deploys.Wall.TotalSeconds);
        run.Figures.Record(figures.P95, Latencies.P95(deploys.Latencies));
        run.Figures.Record(figures.PortalMemory, portal.PeakMiB);
        run.Figures.Record(figures.NodeMemory, portal.NodePeakMiB);
    }

    /// <summary>Deploys the intake stack into the sandbox, as <c>setup-target</c> does, and returns its queue's URL.</summary>
    private static async Task<string> SetUpIntakeAsync(SandboxCalls sandbox, SandboxOptions options, CancellationToken cancellationToken)
    {
        using var cloudFormation = CloudFormationClient.Create(sandbox.Url, new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), options.Region);
        var watch = new WatchOptions();
        var watcher = new StackEventWatcher(watch);
        return await IntakeSetup.DeployAsync(new ChangeSets(watcher, Options.Create(watch), TimeProvider.System), watcher, cloudFormation,
            roleArn: null, (_, _) => { }, cancellationToken);
    }
}
