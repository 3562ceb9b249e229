using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Portal.Infra.Cli;

/// <summary>What the benchmark commands measure besides time: percentiles, peak memory, the machine.</summary>
internal static class BenchmarkFigures
{
    /// <summary>The nearest-rank percentile of values sorted ascending; NaN when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Machine =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:F0} GiB, " +
        $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    /// <summary>This process's peak working set.</summary>
    public static double ProcessPeakMiB()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>The peak resident memory of jsii's Node process, our child: its high-water mark (VmHWM) in /proc.</summary>
    public static double NodeChildPeakMiB()
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
