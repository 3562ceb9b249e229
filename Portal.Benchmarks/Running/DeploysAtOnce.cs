using System.Diagnostics;

namespace Portal.Benchmarks.Running;

/// <summary>
/// Many environments deployed at once on one portal: all requested and planned, an SSE client following each, then all
/// approved together and followed until every one settled.
/// </summary>
/// <param name="Outcomes">Each revision's final status, as its stream said it.</param>
/// <param name="Events">Every event every client received.</param>
/// <param name="Approved">When the approvals were sent.</param>
/// <param name="Wall">Last approval sent → all settled.</param>
/// <param name="Cpu">CPU time of the portal and its Node over <paramref name="Wall"/>.</param>
internal sealed record DeploysAtOnce(IReadOnlyList<string> Outcomes, IReadOnlyList<ReceivedEvent> Events, DateTimeOffset Approved, TimeSpan Wall, TimeSpan Cpu)
{
    private static readonly IReadOnlySet<string> AwaitingApproval = new HashSet<string> { "AwaitingApproval" };

    /// <param name="label">How progress lines name the scenario.</param>
    /// <param name="prefix">Starts every environment's name, to tell the scenarios' apart.</param>
    public static async Task<DeploysAtOnce> RunAsync(
        PublishedPortal portal, string label, string prefix, int count, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var api = new PortalApi(portal.BaseAddress);
        var names = Enumerable.Range(0, count).Select(i => $"{prefix}-{Guid.NewGuid().ToString("n")[..4]}-{i}").ToList();
        BenchmarkRun.Say($"{label}: requesting and planning {count} environments");
        await Task.WhenAll(names.Select(name => api.SubmitAsync(name, cancellationToken)));
        await api.WaitForStatusAsync(names, AwaitingApproval, deadline, cancellationToken);

        var streams = await Task.WhenAll(names.Select(name => EventStream.OpenAsync(portal.BaseAddress, name, cancellationToken)));
        try
        {
            BenchmarkRun.Say($"{label}: approving all {count} at once");
            var cpu = portal.CpuTime;
            var approved = DateTimeOffset.UtcNow;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(names.Select(name => api.ApproveAsync(name, 1, cancellationToken)));
            var outcomes = await Task.WhenAll(streams.Select(s => s.Settled.WaitAsync(deadline, cancellationToken)));
            wall.Stop();
            return new DeploysAtOnce(outcomes, [.. streams.SelectMany(s => s.Events)], approved, wall.Elapsed, portal.CpuTime - cpu);
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }

    public int Deployed => Outcomes.Count(o => o == "Deployed");

    public IReadOnlyList<double> Latencies => [.. Events.Select(e => e.LatencyMs)];
}
