using System.Globalization;

namespace Portal.Benchmarks.Running;

/// <summary>
/// The command line: <c>[--repeats N] [--quick] [--only a,b] [--time-scale X] [--environments N] [--account-environments N]
/// [--account-time-scale X] [--portal DIR] [--markdown FILE]</c>.
/// <c>--quick</c> runs each scenario once, with fewer samples and a smaller seeded database.
/// </summary>
public sealed record BenchmarkOptions
{
    public static readonly string[] Scenarios = ["startup", "synth", "workflow", "quiet", "concurrent", "pages", "account"];

    /// <summary>Runs of every scenario; the table shows their median, min and max.</summary>
    public int Repeats { get; init; } = 3;

    public bool Quick { get; init; }

    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Scenarios);

    /// <summary>The sandbox's time scale: near zero, so what is left is the portal's own overhead.</summary>
    public double TimeScale { get; init; } = 0.01;

    /// <summary>The published portal (<c>dotnet publish Portal.Web</c>): the folder holding Portal.Web.dll.</summary>
    public required string PortalDirectory { get; init; }

    /// <summary>Also write the table here (Markdown).</summary>
    public string? MarkdownFile { get; init; }

    public int SynthRuns => Quick ? 10 : 30;
    public int SingleSubmits => Quick ? 3 : 5;
    public int ConcurrentSubmits => 20;
    public int Approvals => Quick ? 3 : 5;
    public int WatchedDeploys => Quick ? 1 : 2;
    public int ConcurrentDeploys { get; init; } = 50;

    /// <summary>Environments deploying at once in one account's read budget (<c>--account-environments</c>).</summary>
    public int AccountEnvironments { get; init; } = 200;

    /// <summary>
    /// The account scenario's time scale (<c>--account-time-scale</c>): 0.1 runs CloudFormation ten times as fast as AWS,
    /// so 200 deploys raise about 400 events a second, ten times what they raise in an account. At the other scenarios'
    /// 0.01 they raise about 4,400 a second, a hundred times an account's, which measures the machine's throughput
    /// (the sandbox, 200 streams and the portal on 2 cores), not how late an event reaches a page.
    /// </summary>
    public double AccountTimeScale { get; init; } = 0.1;
    public int SeedEnvironments => 10_000;
    public int SeedEvents => Quick ? 200_000 : 1_000_000;
    public int PageLoads => Quick ? 10 : 20;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--quick") { quick = true; continue; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"unexpected argument '{args[i]}'; options are --repeats N, --quick, --only {string.Join(',', Scenarios)}, " +
                                            "--time-scale X, --environments N, --account-environments N, --account-time-scale X, --portal DIR, --markdown FILE");
            values[args[i][2..]] = args[++i];
        }

        // --quick leaves out the slow deploy (half a minute) and the account-scale deploys (minutes) unless asked for by name.
        var only = values.TryGetValue("only", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : quick ? Scenarios.Where(s => s is not ("quiet" or "account")).ToArray() : Scenarios;
        if (only.FirstOrDefault(s => !Scenarios.Contains(s)) is { } unknown)
            throw new ArgumentException($"--only: unknown scenario '{unknown}'; choose from {string.Join(", ", Scenarios)}");
        var portal = values.GetValueOrDefault("portal") ?? Environment.GetEnvironmentVariable("PORTAL_BENCH_PORTAL")
            ?? throw new ArgumentException("--portal: the folder of the published portal (Portal.Web.dll) is required; scripts/bench.sh passes it");
        if (!File.Exists(Path.Combine(portal, "Portal.Web.dll")))
            throw new ArgumentException($"--portal: no Portal.Web.dll in {portal}");

        var options = new BenchmarkOptions
        {
            Quick = quick,
            Repeats = Int(values, "repeats", quick ? 1 : 3, 1, 20),
            Only = new HashSet<string>(only),
            TimeScale = Scale(values, "time-scale", 0.01),
            ConcurrentDeploys = Int(values, "environments", 50, 1, 200),
            AccountEnvironments = Int(values, "account-environments", 200, 1, 500),
            AccountTimeScale = Scale(values, "account-time-scale", 0.1),
            PortalDirectory = Path.GetFullPath(portal),
            MarkdownFile = values.GetValueOrDefault("markdown"),
        };
        return options;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback, int min, int max) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new ArgumentException($"--{name}: expected a whole number from {min} to {max}, got '{text}'");

    private static double Scale(Dictionary<string, string> values, string name, double fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value
        : throw new ArgumentException($"--{name}: expected a number from 0 to 1, got '{text}'");
}
