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
        var deploys = await DeploysAtOnce.RunAsync(portal, "concurrent", $"c{run.Repeat}", count, Deadline, cancellationToken);

        run.Figures.Record(figures.Settled, deploys.Deployed);
        run.Figures.Record(figures.Wall, deploys.Wall.TotalSeconds);
        run.Figures.Record(figures.P50, Latencies.P50(deploys.Latencies));
        run.Figures.Record(figures.P95, Latencies.P95(deploys.Latencies));
        run.Figures.Record(figures.Cpu, deploys.Cpu / deploys.Wall);
        run.Figures.Record(figures.Calls, run.Sandbox.Count(_ => true, deploys.Approved) / deploys.Wall.TotalSeconds);
        var (peak, node) = (portal.PeakMiB, portal.NodePeakMiB);
        run.Figures.Record(figures.Memory, peak + (double.IsNaN(node) ? 0 : node));
        run.Figures.Record(figures.PortalMemory, peak);
        run.Figures.Record(figures.NodeMemory, node);
    }
}
