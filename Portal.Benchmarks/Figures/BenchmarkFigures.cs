using System.Runtime.InteropServices;

namespace Portal.Benchmarks.Figures;

/// <summary>
/// What the benchmark commands measure besides time: percentiles, peak memory (of this process or another, and of its
/// jsii Node child), CPU time, the machine. Memory and CPU come from Linux's /proc.
/// </summary>
public static class BenchmarkFigures
{
    /// <summary>The nearest-rank percentile of values sorted ascending; NaN when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The most of <paramref name="times"/> within any one <paramref name="window"/>, a second.</summary>
    public static double PeakRate(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var peak = 0;
        for (int first = 0, last = 0; last < sorted.Count; last++)
        {
            while (sorted[last] - sorted[first] >= window) first++;
            peak = Math.Max(peak, last - first + 1);
        }
        return peak / window.TotalSeconds;
    }

    public static string Machine =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:F0} GiB, " +
        $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    /// <summary>This process's peak resident memory.</summary>
    public static double ProcessPeakMiB() => PeakMiB(Environment.ProcessId);

    /// <summary>The peak resident memory of jsii's Node runtime, started by this process.</summary>
    public static double NodeChildPeakMiB() => NodeChildPeakMiB(Environment.ProcessId);

    /// <summary>A process's peak resident memory, its high-water mark (VmHWM); NaN once it has ended.</summary>
    public static double PeakMiB(int processId) => Status(processId, "VmHWM:") is { } kib ? kib / 1024 : double.NaN;

    /// <summary>The peak resident memory of the Node (jsii) runtime of <paramref name="parentId"/>; NaN when it has none.</summary>
    public static double NodeChildPeakMiB(int parentId) => NodeChild(parentId) is { } node ? PeakMiB(node) : double.NaN;

    /// <summary>
    /// The process id of the Node (jsii) runtime of <paramref name="parentId"/>, if it has one. jsii starts a Node
    /// launcher (about 57 MiB) that starts the runtime as its own child: the runtime holds the CDK and every object of
    /// every synth, so it is the deepest Node below the portal that counts.
    /// </summary>
    public static int? NodeChild(int parentId)
    {
        int? node = null;
        for (var parent = parentId; NodeChildOf(parent) is { } child; parent = child)
            node = child;
        return node;
    }

    private static int? NodeChildOf(int parentId)
    {
        var parent = parentId.ToString();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                if (status.FirstOrDefault(l => l.StartsWith("PPid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim() != parent) continue;
                if (status.Any(l => l.StartsWith("Name:") && l.Contains("node"))) return int.Parse(Path.GetFileName(dir));
            }
            catch (IOException) { } // the process ended while we looked
        }
        return null;
    }

    /// <summary>
    /// CPU time a process has used so far, user and system, its own and that of its children that ended
    /// (/proc/&lt;pid&gt;/stat fields 14–17, in clock ticks of 1/100 s).
    /// </summary>
    public static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = fields[11..15].Sum(long.Parse);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static double? Status(int processId, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith(field));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // ended
        }
    }
}
