using Portal.Benchmarks.Figures;
using Portal.Sandbox;

namespace Portal.Benchmarks.Running;

/// <summary>The sandbox on a loopback port, with every call it received kept with its arrival time.</summary>
internal sealed class SandboxCalls : IAsyncDisposable
{
    private readonly SandboxServer _server;
    private readonly List<SandboxCall> _calls = [];

    private SandboxCalls(SandboxServer server)
    {
        _server = server;
        server.CloudFormation.CallReceived += call =>
        {
            lock (_calls) _calls.Add(call);
        };
    }

    public Uri Url => _server.Url;

    public static Task<SandboxCalls> StartAsync(double timeScale, CancellationToken cancellationToken) =>
        StartAsync(new SandboxOptions { TimeScale = timeScale }, cancellationToken);

    public static async Task<SandboxCalls> StartAsync(SandboxOptions options, CancellationToken cancellationToken) =>
        new(await SandboxServer.StartAsync(options, cancellationToken));

    public SandboxServer Server => _server;

    /// <summary>CloudFormation calls answered with Throttling so far, every action.</summary>
    public long Throttled => _server.CloudFormation.CallCounts.Keys.Sum(_server.CloudFormation.ThrottledCount);

    /// <summary>
    /// The most read calls (Describe*, List*, Get*) the sandbox received in any <paramref name="window"/> since
    /// <paramref name="since"/>, per second.
    /// </summary>
    public double PeakReadRate(DateTimeOffset since, TimeSpan window)
    {
        lock (_calls)
            return BenchmarkFigures.PeakRate([.. _calls.Where(c => c.At >= since && IsRead(c.Action)).Select(c => c.At)], window);
    }

    public static bool IsRead(string action) =>
        action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal);

    /// <summary>When the first call matching <paramref name="match"/> arrived; waits for it up to <paramref name="deadline"/>.</summary>
    public async Task<DateTimeOffset> FirstAsync(Func<SandboxCall, bool> match, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            lock (_calls)
                if (_calls.FirstOrDefault(match) is { } call)
                    return call.At;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the sandbox received no matching call within {deadline.TotalSeconds} s");
            // The arrival time is the call's own, so this poll only delays noticing it, not the figure.
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>How many calls since <paramref name="since"/> match <paramref name="match"/>.</summary>
    public int Count(Func<SandboxCall, bool> match, DateTimeOffset since)
    {
        lock (_calls) return _calls.Count(call => call.At >= since && match(call));
    }

    /// <summary>A watcher's polls of the environment's stack (by name or by its ARN, which holds the name).</summary>
    public static Func<SandboxCall, bool> WatcherPoll(string environment) =>
        call => call.Action is "DescribeStackEvents" or "DescribeStacks" && call.StackName is { } stack
                && (stack == PortalApi.StackName(environment) || stack.Contains($":stack/{PortalApi.StackName(environment)}/", StringComparison.Ordinal));

    public static Func<SandboxCall, bool> CreateChangeSet(string environment) =>
        call => call.Action == "CreateChangeSet" && call.StackName == PortalApi.StackName(environment);

    public static Func<SandboxCall, bool> ExecuteChangeSet(string changeSetId) =>
        call => call.Action == "ExecuteChangeSet" && call.ChangeSetName == changeSetId;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
