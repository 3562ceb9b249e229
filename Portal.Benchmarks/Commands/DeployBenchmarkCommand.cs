using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Portal.Benchmarks.Figures;
using Portal.Infra.Cli;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Sandbox;
using Portal.Infra.Synthesis;
using Portal.Infra.Targets;

namespace Portal.Benchmarks.Commands;

/// <summary>
/// <c>bench-deploy [--environments N] [--time-scale X] [--throttle R] [--spec FILE]</c>: synthesizes N distinct
/// environments, then deploys them all at once to an in-process sandbox through plan → execute → watch, with the
/// portal's default client retries and watcher intervals. Prints wall time, CloudFormation calls per second, event
/// latency (the sandbox's event time → the watcher handing the event on) and peak memory. A benchmark, not a test.
/// </summary>
internal static class DeployBenchmarkCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var count = line.Int("environments", 10);
        var timeScale = Number(line, "time-scale", 0.01, max: 10);
        var throttle = Number(line, "throttle", 0, max: 1);
        var sample = SpecFile.Read(line.Optional("spec") ?? Path.Combine("samples", "orders-dev.json"), error);
        if (sample is null) return ExitCodes.InvalidSpec;

        var synthClock = Stopwatch.StartNew();
        var synthesizer = new TemplateSynthesizer();
        var templates = new List<SynthResult>();
        for (var i = 0; i < count; i++)
            templates.Add(await synthesizer.SynthesizeAsync(new SynthRequest(Distinct(sample, i), "bench-deploy"), ct));
        synthClock.Stop();

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = timeScale, ThrottleRate = throttle }, ct);
        using var client = CloudFormationClient.Create(
            sandbox.Url, new BasicAWSCredentials(sandbox.CloudFormation.Options.AccessKeyId, sandbox.CloudFormation.Options.SecretAccessKey),
            Target.DefaultSandboxRegion);
        var watching = new WatchOptions();
        var watcher = new StackEventWatcher(watching);
        var changeSets = new ChangeSets(watcher, Options.Create(watching), TimeProvider.System);
        var latencies = new ConcurrentBag<double>();

        var wall = Stopwatch.StartNew();
        var deploys = await Task.WhenAll(templates.Select(t => DeployAsync(changeSets, watcher, client, t, latencies, ct)));
        wall.Stop();

        var calls = sandbox.CloudFormation.CallCounts;
        var throttled = calls.Keys.Sum(sandbox.CloudFormation.ThrottledCount);
        var durations = deploys.Select(d => d.Seconds).Order().ToList();
        var latency = latencies.Order().ToList();
        var healthy = deploys.Count(d => d.Status == StackStatus.CreateComplete);
        output.WriteLine($"deploy benchmark: {count} environments at once, sandbox time scale {timeScale}, throttle {throttle:P0}, " +
                         $"watcher polls every {watching.ActiveInterval.TotalSeconds:0.#} s (up to {watching.QuietInterval.TotalSeconds:0.#} s when quiet); {BenchmarkFigures.Machine}");
        output.WriteLine("| figure | value |");
        output.WriteLine("|---|---|");
        output.WriteLine($"| synthesis of {count} templates (one after another) | {synthClock.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine($"| wall time, plan → execute → watch, all at once | {wall.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine($"| stacks CREATE_COMPLETE | {healthy} / {count} |");
        output.WriteLine($"| one environment, plan to outcome, p50 / p95 | {BenchmarkFigures.Percentile(durations, 0.50):F1} / {BenchmarkFigures.Percentile(durations, 0.95):F1} s |");
        output.WriteLine($"| CloudFormation calls (throttled) | {calls.Values.Sum():N0} ({throttled:N0}) |");
        output.WriteLine($"| calls per second | {calls.Values.Sum() / wall.Elapsed.TotalSeconds:F0} |");
        output.WriteLine($"| events handed on | {latency.Count:N0} |");
        output.WriteLine($"| event latency p50 / p95 (sandbox event time → watcher) | {BenchmarkFigures.Percentile(latency, 0.50):F0} / {BenchmarkFigures.Percentile(latency, 0.95):F0} ms |");
        output.WriteLine($"| peak memory, .NET process (sandbox included) | {BenchmarkFigures.ProcessPeakMiB():F0} MiB |");
        output.WriteLine($"| peak memory, Node (jsii) child | {BenchmarkFigures.NodeChildPeakMiB():F0} MiB |");
        foreach (var failed in deploys.Where(d => d.Status != StackStatus.CreateComplete))
            error.WriteLine($"{failed.StackName}: {failed.Status}: {failed.Reason}");
        return healthy == count ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private sealed record Deploy(string StackName, string Status, string? Reason, double Seconds);

    private static async Task<Deploy> DeployAsync(
        ChangeSets changeSets, StackEventWatcher watcher, ICloudFormation client, SynthResult template,
        ConcurrentBag<double> latencies, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        try
        {
            var plan = await changeSets.PlanAsync(client, new PlanRequest
            {
                StackName = template.StackName,
                TemplateBody = template.TemplateJson,
                ChangeSetName = "bench",
                ClientToken = $"bench-{template.StackName}",
            }, ct);
            await changeSets.ExecuteAsync(client, plan.ChangeSetId, $"bench-execute-{template.StackName}", ct);
            // Events raised before the watch began (the plan's, the execute's first) would time the plan, not the watcher.
            var watchStart = DateTime.UtcNow;
            var request = new WatchRequest { StackName = plan.StackId, Since = plan.CreationTime, TotalResources = plan.Changes.Count };
            await foreach (var update in watcher.WatchAsync(client, request, ct))
            {
                var now = DateTime.UtcNow;
                foreach (var e in update.NewEvents.Where(e => e.Timestamp >= watchStart))
                    latencies.Add((now - e.Timestamp).TotalMilliseconds);
                if (update.Outcome is { } outcome)
                    return new Deploy(template.StackName, outcome.StackStatus, outcome.RootCause?.ToString(), started.Elapsed.TotalSeconds);
            }
            return new Deploy(template.StackName, "(no outcome)", "the watch ended without one", started.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is CloudFormationException or PlanFailedException or HttpRequestException or TimeoutException)
        {
            // E.g. a call throttled on every attempt: reported with the figures, as the portal's job would fail.
            return new Deploy(template.StackName, "(failed)", e.Message, started.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The sample under its own name and ports, so every environment is a template of its own.</summary>
    private static EnvironmentSpec Distinct(EnvironmentSpec sample, int index) => sample with
    {
        Name = $"bench-{index + 1:D3}",
        Frontend = sample.Frontend with { ContainerPort = 3000 + index },
        Backend = sample.Backend with { ListenerPort = 8000 + index },
    };

    private static double Number(CommandLine line, string name, double fallback, double max) =>
        line.Optional(name) is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= max ? value
        : throw new UsageException($"--{name} must be a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}");
}
