using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Benchmarks.Figures;

namespace Portal.Benchmarks.Running;

/// <summary>
/// The published portal as a process of its own (<c>dotnet Portal.Web.dll --urls http://127.0.0.1:&lt;port&gt;</c>), on a
/// data folder the benchmark chose and an external sandbox, so its CPU time and memory are its own. Disposing kills it
/// and its children (jsii's Node) whatever state it is in.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly StreamWriter log;

    private PortalProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        this.process = process;
        this.log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    /// <summary>From starting the command to the first 200 from <c>GET /signin</c>.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>CPU time used so far by the portal and its Node (jsii) child.</summary>
    public TimeSpan CpuTime =>
        BenchmarkFigures.CpuTime(Id) + (BenchmarkFigures.NodeChild(Id) is { } node ? BenchmarkFigures.CpuTime(node) : TimeSpan.Zero);

    /// <summary>Peak resident memory of the portal process since it started.</summary>
    public double PeakMiB => BenchmarkFigures.PeakMiB(Id);

    /// <summary>Peak resident memory of its Node (jsii) child; NaN before it has one.</summary>
    public double NodePeakMiB => BenchmarkFigures.NodeChildPeakMiB(Id);

    /// <summary>
    /// Starts the portal on <paramref name="dataDirectory"/> with a Sandbox target per entry of <paramref name="targets"/>
    /// (name → the sandbox's URL), and waits until it serves its sign-in page.
    /// </summary>
    public static async Task<PortalProcess> StartAsync(
        BenchmarkOptions options, string dataDirectory, IReadOnlyDictionary<string, Uri> targets, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(options.PortalDirectory, "Portal.Web.dll"), "--urls", address.ToString().TrimEnd('/') },
            // The content root: the published wwwroot (static assets) is found relative to it.
            WorkingDirectory = options.PortalDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                // The development settings: development sign-in (the benchmark's users) and http cookies on 127.0.0.1.
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Portal__DataDir"] = dataDirectory,
                // Nothing here may reach AWS: dummy credentials, no instance metadata.
                ["AWS_ACCESS_KEY_ID"] = "AKIDTESTTESTTESTTEST",
                ["AWS_SECRET_ACCESS_KEY"] = "test-secret",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                // The scenarios submit as one user what stands for many people's requests: measure the portal, not
                // the per-user limit and plan queue share (docs/WORKFLOW.md "Jobs").
                ["Submissions__PerUser"] = "100000",
                ["Submissions__PlansPerUser"] = "1000",
            },
        };
        foreach (var (target, url) in targets)
        {
            start.Environment[$"Targets__{target}__Kind"] = "Sandbox";
            start.Environment[$"Targets__{target}__ServiceUrl"] = url.ToString();
        }
        var log = new StreamWriter(Path.Combine(dataDirectory, "..", "portal.log"), append: true) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, log, address);
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
            if (process.HasExited)
                throw new InvalidOperationException($"the portal exited with code {process.ExitCode} before serving; see portal.log beside its data folder");
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

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // it ended on its own
        }
        process.Dispose();
        lock (log) log.Dispose();
    }
}
