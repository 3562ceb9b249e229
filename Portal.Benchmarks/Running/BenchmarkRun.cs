using Portal.Benchmarks.Figures;

namespace Portal.Benchmarks.Running;

/// <summary>
/// What the scenarios of one benchmark run share: the options, the figures, a temporary folder (deleted at the end),
/// the sandbox, and the browser (launched when first needed).
/// </summary>
internal sealed class BenchmarkRun(BenchmarkOptions options, SandboxCalls sandbox, SandboxCalls slowSandbox, string folder) : IAsyncDisposable
{
    private Browser? _browser;

    public BenchmarkOptions Options { get; } = options;

    public FigureTable Figures { get; } = new();

    /// <summary>The <c>sandbox</c> target's endpoint, at the run's time scale.</summary>
    public SandboxCalls Sandbox { get; } = sandbox;

    /// <summary>
    /// The <c>slow</c> target's endpoint, at time scale <see cref="SlowTimeScale"/>: its NAT gateway (9 s) and load
    /// balancers (15 s) leave quiet stretches in which the watcher backs off, as real deploys do.
    /// </summary>
    public SandboxCalls SlowSandbox { get; } = slowSandbox;

    public const double SlowTimeScale = 0.1;

    /// <summary>The current repeat, from 1.</summary>
    public int Repeat { get; set; }

    /// <summary>A fresh folder for <paramref name="name"/> in this repeat.</summary>
    public string Folder(string name)
    {
        var path = Path.Combine(folder, $"r{Repeat}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A folder shared by every repeat (e.g. a seeded database).</summary>
    public string SharedFolder(string name) => Path.Combine(folder, name);

    public async Task<Browser> BrowserAsync() => _browser ??= await Browser.LaunchAsync();

    /// <summary>Progress goes to stderr; the table alone goes to stdout.</summary>
    public static void Say(string message) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");

    /// <summary>Starts the portal on a fresh data folder for <paramref name="name"/>.</summary>
    public Task<PublishedPortal> StartPortalAsync(string name, CancellationToken cancellationToken) =>
        StartPortalOnAsync(Path.Combine(Folder(name), "data"), cancellationToken);

    /// <summary>Starts the portal on <paramref name="dataDirectory"/> with the <c>sandbox</c> and <c>slow</c> targets.</summary>
    public Task<PublishedPortal> StartPortalOnAsync(string dataDirectory, CancellationToken cancellationToken) =>
        PublishedPortal.StartAsync(Options, dataDirectory, new Dictionary<string, Uri> { ["sandbox"] = Sandbox.Url, ["slow"] = SlowSandbox.Url }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        await Sandbox.DisposeAsync();
        await SlowSandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
