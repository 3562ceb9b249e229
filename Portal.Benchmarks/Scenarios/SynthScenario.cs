using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Synthesis: the benchmark's own <c>bench-synth</c> in a process of its own each repeat, so "first in a process" is
/// really first (it starts jsii's Node); its figures are read from the table it prints.
/// </summary>
internal sealed partial class SynthScenario : IScenario
{
    private static readonly Figure First = new("synth: first in a process (starts jsii's Node)", Unit.Milliseconds, Goal.AtMost(2500, Unit.Milliseconds));
    private static readonly Figure WarmP50 = new("synth: warm p50", Unit.Milliseconds, Goal.AtMost(120, Unit.Milliseconds));
    private static readonly Figure WarmP95 = new("synth: warm p95", Unit.Milliseconds);
    private static readonly Figure PeakProcess = new("synth: peak memory, .NET process", Unit.MiB);
    private static readonly Figure PeakNode = new("synth: peak memory, Node (jsii) child", Unit.MiB);

    private static readonly (string Row, Figure Figure)[] Rows =
    [
        ("first synth in process (cold)", First), ("warm p50", WarmP50), ("warm p95", WarmP95),
        ("peak memory, .NET process", PeakProcess), ("peak memory, Node (jsii) child", PeakNode),
    ];

    public string Key => "synth";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var output = await DotnetProcess.RunAsync("Portal.Benchmarks",
            ["bench-synth", "--spec", PortalApi.RepositoryFile("samples", "orders-dev.json"),
             "--runs", run.Options.SynthRuns.ToString(CultureInfo.InvariantCulture)],
            run.Folder("synth"), cancellationToken);
        var table = output.Split('\n').Select(line => TableRow().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value.Trim(), m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        foreach (var (row, figure) in Rows)
            run.Figures.Record(figure, table.TryGetValue(row, out var value) ? value
                : throw new InvalidOperationException($"bench-synth printed no row '{row}'"));
    }

    [GeneratedRegex(@"^\| (?<name>[^|]+) \| (?<value>[0-9.]+) (ms|MiB) \|")]
    private static partial Regex TableRow();
}
