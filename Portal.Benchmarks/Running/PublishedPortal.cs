using System.Diagnostics;
using System.Net;
using Portal.Benchmarks.Figures;
using Portal.Tests.Support;

namespace Portal.Benchmarks.Running;

/// <summary>
/// The published portal as a process of its own (<c>dotnet Portal.Web.dll --urls http://127.0.0.1:&lt;port&gt;</c>), on a
/// data folder the benchmark chose and an external sandbox, so its CPU time and memory are its own. Disposing kills it
/// and its children (jsii's Node) whatever state it is in.
/// It starts as the tests' <c>PortalProcess</c> does, through the same <see cref="ChildProcess"/> (linked from
/// Portal.Tests/Support), but it is another class: it runs the published build rather than the one beside the tests,
/// writes a log file for a long run rather than keeping the output for a failure message, waits for the sign-in page,
/// and measures the process.
/// </summary>
public sealed class PublishedPortal : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;
    private readonly StreamWriter _log;

    private PublishedPortal(ChildProcess process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>From starting the command to the first 200 from <c>GET /signin</c>.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>CPU time used so far by the portal and its Node (jsii) runtime.</summary>
    public TimeSpan CpuTime =>
        BenchmarkFigures.CpuTime(Id) + (BenchmarkFigures.NodeChild(Id) is { } node ? BenchmarkFigures.CpuTime(node) : TimeSpan.Zero);

    /// <summary>Peak resident memory of the portal process since it started.</summary>
    public double PeakMiB => BenchmarkFigures.PeakMiB(Id);

    /// <summary>Peak resident memory of its Node (jsii) child; NaN before it has one.</summary>
    public double NodePeakMiB => BenchmarkFigures.NodeChildPeakMiB(Id);

    /// <summary>
    /// Starts the portal on <paramref name="dataDirectory"/> with a Sandbox target per entry of <paramref name="targets"/>
    /// (name → the sandbox's URL) and any <paramref name="more"/> settings, and waits until it serves its sign-in page.
    /// </summary>
    public static async Task<PublishedPortal> StartAsync(
        BenchmarkOptions options, string dataDirectory, IReadOnlyDictionary<string, Uri> targets, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? more = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var settings = new Dictionary<string, string>
        {
            ["Portal:DataDir"] = dataDirectory,
            // The scenarios submit as one user what stands for many people's requests: measure the portal, not
            // the per-user limit and plan queue share (docs/WORKFLOW.md "Jobs").
            ["Submissions:PerUser"] = "100000",
            ["Submissions:PlansPerUser"] = "1000",
            // And one user's SSE clients stand for each environment's watchers.
            ["LiveEvents:MaxStreamsPerUser"] = "1000",
        };
        foreach (var (target, url) in targets)
        {
            settings[$"Targets:{target}:Kind"] = "Sandbox";
            settings[$"Targets:{target}:ServiceUrl"] = url.ToString();
        }
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
            settings[key] = value;
        // The published folder is the content root: its wwwroot (static assets) is found relative to it.
        var start = ChildProcess.Dotnet(Path.Combine(options.PortalDirectory, "Portal.Web.dll"), settings);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        // The development settings: development sign-in (the benchmark's users) and http cookies on 127.0.0.1.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var log = new StreamWriter(Path.Combine(dataDirectory, "..", "portal.log"), append: true) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var portal = new PublishedPortal(ChildProcess.Start(start, line => Write(log, line), keepOutput: false), log, address);
        try
        {
            await portal.WaitUntilServingAsync(clock, cancellationToken);
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilServingAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the portal exited with code {_process.ExitCode} before serving; see portal.log beside its data folder");
            if (clock.Elapsed > StartDeadline)
                throw new TimeoutException($"the portal did not serve /signin within {StartDeadline.TotalSeconds} s");
            try
            {
                using var response = await http.GetAsync("signin", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    StartedIn = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private static void Write(StreamWriter log, string line)
    {
        lock (log) log.WriteLine(line);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        lock (_log) _log.Dispose();
        return ValueTask.CompletedTask;
    }
}
