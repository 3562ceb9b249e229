using System.Diagnostics;
using Portal.Infra.Environments;
using Portal.Infra.Synthesis;

namespace Portal.Infra.Cli;

/// <summary>
/// <c>bench-synth [--spec FILE] [--runs N]</c>: cold (first in process) and warm synth times, and the peak memory of
/// this process and of jsii's Node child. A benchmark, not a test: it prints figures for the README.
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

        output.WriteLine($"synth benchmark: {runs} warm runs, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        output.WriteLine($"| figure | value |");
        output.WriteLine($"|---|---|");
        output.WriteLine($"| first synth in process (cold) | {cold:F0} ms |");
        output.WriteLine($"| warm p50 | {Percentile(warm, 0.50):F0} ms |");
        output.WriteLine($"| warm p95 | {Percentile(warm, 0.95):F0} ms |");
        output.WriteLine($"| warm min / max | {warm[0]:F0} / {warm[^1]:F0} ms |");
        output.WriteLine($"| peak memory, .NET process | {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB |");
        output.WriteLine($"| peak memory, Node (jsii) child | {NodeChildPeakMiB():F0} MiB |");
        return ExitCodes.Ok;
    }

    private static async Task<double> Time(TemplateSynthesizer synthesizer, EnvironmentSpec spec, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await synthesizer.SynthesizeAsync(new SynthRequest(spec), ct);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>jsii's Node process is our child; its high-water mark (VmHWM) is in /proc.</summary>
    private static double NodeChildPeakMiB()
    {
        var self = Environment.ProcessId.ToString();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                if (status.FirstOrDefault(l => l.StartsWith("PPid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim() != self) continue;
                if (!status.Any(l => l.StartsWith("Name:") && l.Contains("node"))) continue;
                var hwm = status.First(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                return double.Parse(hwm) / 1024;
            }
            catch (IOException) { } // the process ended while we looked
        }
        return double.NaN;
    }
}
