using System.Diagnostics;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// The workflow's own latencies on a warm portal (one environment requested, approved and deployed first): submit →
/// CreateChangeSet, one at a time and 20 at once; last approval → ExecuteChangeSet; and each stack event from the
/// sandbox to an SSE client and to a row in an open environment page.
/// </summary>
internal sealed class WorkflowScenario : IScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly Goal Submit = Goal.AtMost(300, Unit.Milliseconds);
    private static readonly Goal Approval = Goal.AtMost(1500, Unit.Milliseconds);
    private static readonly Goal Event = Goal.AtMost(1500, Unit.Milliseconds);

    private static readonly Figure SingleP50 = new("submit → CreateChangeSet, one at a time, p50", Unit.Milliseconds, Submit);
    private static readonly Figure SingleP95 = new("submit → CreateChangeSet, one at a time, p95", Unit.Milliseconds);
    private static readonly Figure ConcurrentP50 = new("submit → CreateChangeSet, 20 at once, p50", Unit.Milliseconds, Submit);
    private static readonly Figure ConcurrentP95 = new("submit → CreateChangeSet, 20 at once, p95", Unit.Milliseconds);
    private static readonly Figure AnsweredSingleP50 = new("submit → API answered (201), one at a time, p50", Unit.Milliseconds);
    private static readonly Figure PlanStartedP50 = new("submit → plan job started (Hangfire pick-up), one at a time, p50", Unit.Milliseconds);
    private static readonly Figure PlanStartedP95 = new("submit → plan job started (Hangfire pick-up), one at a time, p95", Unit.Milliseconds);
    private static readonly Figure AnsweredConcurrentP50 = new("submit → API answered (201), 20 at once, p50", Unit.Milliseconds);
    private static readonly Figure ApprovalP50 = new("last approval → ExecuteChangeSet, p50", Unit.Milliseconds, Approval);
    private static readonly Figure ApprovalP95 = new("last approval → ExecuteChangeSet, p95", Unit.Milliseconds);
    private static readonly Figure SseP50 = new("stack event → SSE client, p50", Unit.Milliseconds);
    private static readonly Figure SseP95 = new("stack event → SSE client, p95", Unit.Milliseconds, Event);
    private static readonly Figure PageP50 = new("stack event → row in the open environment page, p50", Unit.Milliseconds);
    private static readonly Figure PageP95 = new("stack event → row in the open environment page, p95", Unit.Milliseconds, Event);
    private static readonly Figure PageRows = new("stack event rows seen in the page, of the events sent", Unit.Percent);

    private static readonly IReadOnlySet<string> AwaitingApproval = new HashSet<string> { "AwaitingApproval" };
    private static readonly IReadOnlySet<string> Finished = new HashSet<string> { "Deployed", "Failed" };

    public string Key => "workflow";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        await using var portal = await run.StartPortalAsync("workflow", cancellationToken);
        using var api = new PortalApi(portal.BaseAddress);
        var prefix = $"w{run.Repeat}-{Guid.NewGuid().ToString("n")[..4]}";

        BenchmarkRun.Say("workflow: warming up (one environment requested, approved, deployed)");
        await api.SubmitAsync($"{prefix}-warm", cancellationToken);
        await api.WaitForStatusAsync([$"{prefix}-warm"], AwaitingApproval, Deadline, cancellationToken);
        await api.ApproveAsync($"{prefix}-warm", 1, cancellationToken);
        await api.WaitForStatusAsync([$"{prefix}-warm"], Finished, Deadline, cancellationToken);

        BenchmarkRun.Say($"workflow: {run.Options.SingleSubmits} submits one at a time");
        var single = new List<Submitted>();
        for (var i = 0; i < run.Options.SingleSubmits; i++)
        {
            var name = $"{prefix}-one-{i}";
            var submitted = await SubmitAsync(run, api, name, cancellationToken);
            await api.WaitForStatusAsync([name], AwaitingApproval, Deadline, cancellationToken);
            single.Add(submitted with { PlanStarted = (await api.AuditedAsync(name, "Planning", cancellationToken) - submitted.At).TotalMilliseconds });
        }
        run.Figures.Record(SingleP50, Latencies.P50(single.Select(s => s.ChangeSetRequested)));
        run.Figures.Record(SingleP95, Latencies.P95(single.Select(s => s.ChangeSetRequested)));
        run.Figures.Record(AnsweredSingleP50, Latencies.P50(single.Select(s => s.Answered)));
        run.Figures.Record(PlanStartedP50, Latencies.P50(single.Select(s => s.PlanStarted)));
        run.Figures.Record(PlanStartedP95, Latencies.P95(single.Select(s => s.PlanStarted)));

        BenchmarkRun.Say($"workflow: {run.Options.ConcurrentSubmits} submits at once");
        var names = Enumerable.Range(0, run.Options.ConcurrentSubmits).Select(i => $"{prefix}-many-{i}").ToList();
        var concurrent = await Task.WhenAll(names.Select(name => SubmitAsync(run, api, name, cancellationToken)));
        run.Figures.Record(ConcurrentP50, Latencies.P50(concurrent.Select(s => s.ChangeSetRequested)));
        run.Figures.Record(ConcurrentP95, Latencies.P95(concurrent.Select(s => s.ChangeSetRequested)));
        run.Figures.Record(AnsweredConcurrentP50, Latencies.P50(concurrent.Select(s => s.Answered)));
        await api.WaitForStatusAsync(names, AwaitingApproval, Deadline, cancellationToken);

        BenchmarkRun.Say($"workflow: {run.Options.Approvals} approvals one at a time");
        var approvals = new List<double>();
        foreach (var name in names.Take(run.Options.Approvals))
        {
            var revision = await api.RevisionAsync(name, 1, cancellationToken);
            var approved = DateTimeOffset.UtcNow;
            await api.ApproveAsync(name, 1, cancellationToken);
            var executed = await run.Sandbox.FirstAsync(SandboxCalls.ExecuteChangeSet(revision.ChangeSetId!), Deadline, cancellationToken);
            approvals.Add((executed - approved).TotalMilliseconds);
            await api.WaitForStatusAsync([name], Finished, Deadline, cancellationToken);
        }
        run.Figures.Record(ApprovalP50, Latencies.P50(approvals));
        run.Figures.Record(ApprovalP95, Latencies.P95(approvals));

        BenchmarkRun.Say($"workflow: {run.Options.WatchedDeploys} deploys watched over SSE and in the environment page");
        var sse = new List<double>();
        var page = new List<double>();
        var (sent, seen) = (0, 0);
        foreach (var name in names.Skip(run.Options.Approvals).Take(run.Options.WatchedDeploys))
        {
            var watched = await WatchDeployAsync(run, portal, api, name, cancellationToken);
            sse.AddRange(watched.Sse);
            page.AddRange(watched.Page);
            sent += watched.Sse.Count;
            seen += watched.Page.Count;
        }
        run.Figures.Record(SseP50, Latencies.P50(sse));
        run.Figures.Record(SseP95, Latencies.P95(sse));
        run.Figures.Record(PageP50, Latencies.P50(page));
        run.Figures.Record(PageP95, Latencies.P95(page));
        run.Figures.Record(PageRows, sent == 0 ? double.NaN : 100.0 * seen / sent);
    }

    /// <summary>
    /// When a submit was sent, and milliseconds from then to its answer, to the sandbox receiving the plan's
    /// CreateChangeSet, and (when read) to the plan job taking the revision.
    /// </summary>
    private sealed record Submitted(DateTimeOffset At, double Answered, double ChangeSetRequested, double PlanStarted = double.NaN);

    private static async Task<Submitted> SubmitAsync(BenchmarkRun run, PortalApi api, string name, CancellationToken cancellationToken)
    {
        var submitted = DateTimeOffset.UtcNow;
        await api.SubmitAsync(name, cancellationToken);
        var answered = DateTimeOffset.UtcNow;
        var requested = await run.Sandbox.FirstAsync(SandboxCalls.CreateChangeSet(name), Deadline, cancellationToken);
        return new Submitted(submitted, (answered - submitted).TotalMilliseconds, (requested - submitted).TotalMilliseconds);
    }

    private sealed record Watched(IReadOnlyList<double> Sse, IReadOnlyList<double> Page);

    /// <summary>
    /// Approves an environment while an SSE client and a signed-in browser on its page follow it; each event's latency
    /// is from its time in the sandbox to the client reading it, and to its row first being in the page.
    /// </summary>
    private static async Task<Watched> WatchDeployAsync(BenchmarkRun run, PublishedPortal portal, PortalApi api, string name, CancellationToken cancellationToken)
    {
        var browser = await run.BrowserAsync();
        var tab = await browser.OpenEnvironmentAsync(portal.BaseAddress, "alice", name);
        try
        {
            await using var stream = await EventStream.OpenAsync(portal.BaseAddress, name, cancellationToken);
            await api.ApproveAsync(name, 1, cancellationToken);
            await stream.Settled.WaitAsync(Deadline, cancellationToken);
            var events = stream.Events;

            // The page shows the last rows a moment after the stream: wait for all of them, up to a deadline.
            var rows = await Browser.SeenRowsAsync(tab);
            var clock = Stopwatch.StartNew();
            while (rows.Count < events.Count && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100, cancellationToken);
                rows = await Browser.SeenRowsAsync(tab);
            }
            return new Watched([.. events.Select(e => e.LatencyMs)], Match(events, rows));
        }
        finally
        {
            await Browser.CloseAsync(tab);
        }
    }

    /// <summary>
    /// Pairs each row with its event by resource, status and reason (the n-th row seen with a key is the n-th event with it),
    /// and returns each paired row's latency.
    /// </summary>
    private static List<double> Match(IReadOnlyList<ReceivedEvent> events, IReadOnlyList<SeenRow> rows)
    {
        var byKey = events.GroupBy(e => (e.LogicalResourceId, e.ResourceStatus, Reason: e.Reason?.Trim() ?? ""))
            .ToDictionary(g => g.Key, g => new Queue<ReceivedEvent>(g.OrderBy(e => e.Id)));
        var latencies = new List<double>();
        foreach (var row in rows.OrderBy(r => r.SeenAt))
        {
            if (!byKey.TryGetValue((row.LogicalResourceId, row.Status, row.Reason), out var queue) || queue.Count == 0) continue;
            var e = queue.Dequeue();
            latencies.Add(row.SeenAt - e.Timestamp.ToUnixTimeMilliseconds());
        }
        return latencies;
    }
}
