using System.Diagnostics;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Many environments deploying at once (50 by default) on a fresh portal: all are requested and planned, an SSE client
/// follows each, then all are approved together. Whether all settle, how long it takes, each event's latency to its
/// client, the portal's CPU (its and its Node child's CPU time over the wall time) and its peak memory.
/// </summary>
internal sealed class ConcurrentDeployScenario : IScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private static readonly IReadOnlySet<string> AwaitingApproval = new HashSet<string> { "AwaitingApproval" };

    public string Key => "concurrent";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var count = run.Options.ConcurrentDeploys;
        var figures = new
        {
            Settled = new Figure($"{count} deploying at once: deployed", Unit.Count, Goal.All(count)),
            Wall = new Figure($"{count} deploying at once: last approval → all settled", Unit.Seconds),
            P50 = new Figure($"{count} deploying at once: stack event → SSE client, p50", Unit.Milliseconds),
            P95 = new Figure($"{count} deploying at once: stack event → SSE client, p95", Unit.Milliseconds, Goal.AtMost(2000, Unit.Milliseconds)),
            Calls = new Figure($"{count} deploying at once: CloudFormation calls per second", Unit.Rate),
            Cpu = new Figure($"{count} deploying at once: CPU of portal + Node while deploying (of 2 cores)", Unit.Cores),
            Memory = new Figure($"{count} deploying at once: peak memory, portal + Node (plans included)", Unit.MiB, Goal.AtMost(1536, Unit.MiB)),
            PortalMemory = new Figure($"{count} deploying at once: peak memory, portal process", Unit.MiB),
            NodeMemory = new Figure($"{count} deploying at once: peak memory, Node (jsii) child", Unit.MiB),
        };

        await using var portal = await run.StartPortalAsync("concurrent", cancellationToken);
        using var api = new PortalApi(portal.BaseAddress);
        var names = Enumerable.Range(0, count).Select(i => $"c{run.Repeat}-{Guid.NewGuid().ToString("n")[..4]}-{i}").ToList();
        BenchmarkRun.Say($"concurrent: requesting and planning {count} environments");
        await Task.WhenAll(names.Select(name => api.SubmitAsync(name, cancellationToken)));
        await api.WaitForStatusAsync(names, AwaitingApproval, Deadline, cancellationToken);

        var streams = await Task.WhenAll(names.Select(name => EventStream.OpenAsync(portal.BaseAddress, name, cancellationToken)));
        try
        {
            BenchmarkRun.Say($"concurrent: approving all {count} at once");
            var cpu = portal.CpuTime;
            var approved = DateTimeOffset.UtcNow;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(names.Select(name => api.ApproveAsync(name, 1, cancellationToken)));
            var outcomes = await Task.WhenAll(streams.Select(s => s.Settled.WaitAsync(Deadline, cancellationToken)));
            wall.Stop();
            var cores = (portal.CpuTime - cpu) / wall.Elapsed;

            run.Figures.Record(figures.Settled, outcomes.Count(o => o == "Deployed"));
            run.Figures.Record(figures.Wall, wall.Elapsed.TotalSeconds);
            var latencies = streams.SelectMany(s => s.Events).Select(e => e.LatencyMs).ToList();
            run.Figures.Record(figures.P50, Latencies.P50(latencies));
            run.Figures.Record(figures.P95, Latencies.P95(latencies));
            run.Figures.Record(figures.Cpu, cores);
            run.Figures.Record(figures.Calls, run.Sandbox.Count(_ => true, approved) / wall.Elapsed.TotalSeconds);
            var (peak, node) = (portal.PeakMiB, portal.NodePeakMiB);
            run.Figures.Record(figures.Memory, peak + (double.IsNaN(node) ? 0 : node));
            run.Figures.Record(figures.PortalMemory, peak);
            run.Figures.Record(figures.NodeMemory, node);
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }
}
