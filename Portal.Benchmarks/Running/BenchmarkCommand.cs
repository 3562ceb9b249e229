using System.Diagnostics;
using Portal.Benchmarks.Scenarios;
using Portal.Benchmarks.Figures;

namespace Portal.Benchmarks.Running;

/// <summary>
/// Runs every chosen scenario <c>--repeats</c> times (scenario by scenario within a repeat), then prints the table: each
/// figure's median over the repeats, with min and max, against its goal (docs/BENCHMARKS.md). Exit code 0 when it ran, 1 when a
/// scenario failed, 2 for bad options; a missed goal is a finding, not a failure.
/// </summary>
public static class BenchmarkCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }

        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        var cancellationToken = interrupted.Token;
        IScenario[] scenarios =
            [new StartupScenario(), new SynthScenario(), new WorkflowScenario(), new QuietStretchScenario(), new ConcurrentDeployScenario(), new PagesScenario(), new AccountScaleScenario()];
        var folder = Path.Combine(Path.GetTempPath(), $"portal-bench-{Guid.NewGuid().ToString("n")[..8]}");
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        var (failed, completed) = (false, 0);
        await using (var run = new BenchmarkRun(options, await SandboxCalls.StartAsync(options.TimeScale, cancellationToken),
                         await SandboxCalls.StartAsync(BenchmarkRun.SlowTimeScale, cancellationToken), folder))
        {
            for (run.Repeat = 1; run.Repeat <= options.Repeats && !failed; run.Repeat++)
            {
                foreach (var scenario in scenarios.Where(s => options.Only.Contains(s.Key)))
                {
                    BenchmarkRun.Say($"repeat {run.Repeat}/{options.Repeats}: {scenario.Key}");
                    try
                    {
                        await scenario.RunAsync(run, cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        await error.WriteLineAsync($"{scenario.Key} failed: {e}");
                        failed = true;
                        break;
                    }
                }
                if (!failed) completed++;
            }

            var report = new StringWriter();
            await report.WriteLineAsync($"Portal benchmark: {completed} repeat(s){(options.Quick ? " (--quick)" : "")}, sandbox time scale " +
                                        $"{options.TimeScale}, {BenchmarkFigures.Machine}, load average {LoadAverage()} at the end, " +
                                        $"{clock.Elapsed.TotalMinutes:F1} min.");
            await report.WriteLineAsync();
            run.Figures.Write(report);
            await output.WriteAsync(report.ToString());
            if (options.MarkdownFile is { } file) await File.WriteAllTextAsync(file, report.ToString(), CancellationToken.None);
            foreach (var missed in run.Figures.Missed)
                await error.WriteLineAsync($"misses its goal: {missed.Label} ({missed.Goal!.Text})");
        }
        return failed ? 1 : 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
