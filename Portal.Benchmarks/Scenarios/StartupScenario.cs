using System.Diagnostics;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Start-up: from the command (<c>dotnet Portal.Web.dll</c>, a fresh data folder) to the first page served; then what
/// the portal costs doing nothing (its job server polling its queue), once its start-up work (the synth warm-up) is done.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private static readonly Figure StartUp = new("start-up: command → first page served (GET /signin 200), fresh data folder",
        Unit.Milliseconds, Goal.AtMost(5000, Unit.Milliseconds));
    private static readonly Figure IdleCpu = new("idle: CPU of portal + Node with nothing to do (of 2 cores)", Unit.Cores);

    public string Key => "startup";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        await using var portal = await run.StartPortalAsync("startup", cancellationToken);
        run.Figures.Record(StartUp, portal.StartedIn.TotalMilliseconds);

        await Task.Delay(Settle, cancellationToken);
        var cpu = portal.CpuTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(run.Options.Quick ? 5 : 10), cancellationToken);
        run.Figures.Record(IdleCpu, (portal.CpuTime - cpu) / clock.Elapsed);
    }
}
