using System.Diagnostics;
using Portal.Benchmarks.Figures;
using Portal.Infra.Cli;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Benchmarks.Commands;

/// <summary>
/// <c>bench-synth [--spec FILE] [--runs N]</c>: cold (first in process) and warm synth times, and the peak memory of
/// this process and of jsii's Node child. The synth scenario runs it in a process of its own and reads its table.
/// </summary>
internal static class SynthBenchmarkCommand
{
    public static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var spec = SpecFile.Read(line.Optional("spec") ?? Path.Combine("samples", "orders-dev.json"), error);
        if (spec is null) return ExitCodes.InvalidSpec;
        var runs = line.Int("runs", 30);
        var synthesizer = new TemplateSynthesizer();

        var cold = await Time(synthesizer, spec, ct);
        var warm = new List<double>();
        for (var i = 0; i < runs; i++)
            warm.Add(await Time(synthesizer, spec with { Name = $"{spec.Name[..Math.Min(spec.Name.Length, 24)]}-{i % 100}" }, ct));
        warm.Sort();

        output.WriteLine($"synth benchmark: {runs} warm runs, {BenchmarkFigures.Machine}");
        output.WriteLine($"| figure | value |");
        output.WriteLine($"|---|---|");
        output.WriteLine($"| first synth in process (cold) | {cold:F0} ms |");
        output.WriteLine($"| warm p50 | {BenchmarkFigures.Percentile(warm, 0.50):F0} ms |");
        output.WriteLine($"| warm p95 | {BenchmarkFigures.Percentile(warm, 0.95):F0} ms |");
        output.WriteLine($"| warm min / max | {warm[0]:F0} / {warm[^1]:F0} ms |");
        output.WriteLine($"| peak memory, .NET process | {BenchmarkFigures.ProcessPeakMiB():F0} MiB |");
        output.WriteLine($"| peak memory, Node (jsii) child | {BenchmarkFigures.NodeChildPeakMiB():F0} MiB |");
        return ExitCodes.Ok;
    }

    private static async Task<double> Time(TemplateSynthesizer synthesizer, EnvironmentSpec spec, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await synthesizer.SynthesizeAsync(new SynthRequest(spec), ct);
        return watch.Elapsed.TotalMilliseconds;
    }
}
