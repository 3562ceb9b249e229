using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Stack event latency when a deploy has quiet stretches, as real ones do (a NAT gateway or a load balancer takes
/// minutes): one environment on the <c>slow</c> target (sandbox time scale 0.1, about 35 s), followed over SSE. The
/// first event after a stretch waits for the watcher's next poll, which backs off while nothing happens.
/// </summary>
internal sealed class QuietStretchScenario : IScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly Figure P50 = new($"stack event → SSE client, time scale {BenchmarkRun.SlowTimeScale} (quiet stretches), p50", Unit.Milliseconds);
    private static readonly Figure P95 = new($"stack event → SSE client, time scale {BenchmarkRun.SlowTimeScale} (quiet stretches), p95",
        Unit.Milliseconds, Goal.AtMost(1500, Unit.Milliseconds));
    private static readonly Figure Max = new($"stack event → SSE client, time scale {BenchmarkRun.SlowTimeScale} (quiet stretches), max", Unit.Milliseconds);
    private static readonly Figure Polls = new($"time scale {BenchmarkRun.SlowTimeScale}: the watcher's CloudFormation calls per second (DescribeStackEvents + DescribeStacks)", Unit.Rate);

    public string Key => "quiet";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        await using var portal = await run.StartPortalAsync("quiet", cancellationToken);
        using var api = new PortalApi(portal.BaseAddress);
        var name = $"q{run.Repeat}-{Guid.NewGuid().ToString("n")[..4]}";
        await api.SubmitAsync(name, cancellationToken, target: "slow");
        await api.WaitForStatusAsync([name], new HashSet<string> { "AwaitingApproval" }, Deadline, cancellationToken);

        await using var stream = await EventStream.OpenAsync(portal.BaseAddress, name, cancellationToken);
        BenchmarkRun.Say($"quiet: deploying {name} at time scale {BenchmarkRun.SlowTimeScale}");
        var approved = DateTimeOffset.UtcNow;
        await api.ApproveAsync(name, 1, cancellationToken);
        await stream.Settled.WaitAsync(Deadline, cancellationToken);
        var seconds = (DateTimeOffset.UtcNow - approved).TotalSeconds;
        var latencies = stream.Events.Select(e => e.LatencyMs).ToList();
        run.Figures.Record(P50, Latencies.P50(latencies));
        run.Figures.Record(P95, Latencies.P95(latencies));
        run.Figures.Record(Max, latencies.Count == 0 ? double.NaN : latencies.Max());
        run.Figures.Record(Polls, run.SlowSandbox.Count(SandboxCalls.WatcherPoll(name), approved) / seconds);
    }
}
