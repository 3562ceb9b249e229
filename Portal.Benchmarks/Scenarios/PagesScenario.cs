using System.Diagnostics;
using System.Net;
using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;
using Portal.Benchmarks.Seeding;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// Server time of the pages over a big database (10,000 environments, 1,000,000 stack events; seeded once per run):
/// the time to answer a signed-in GET of the prerendered page, which runs the page's queries and renders it, on
/// loopback. The environments list, an ordinary environment's page, and the page of the environment with most events.
/// </summary>
internal sealed class PagesScenario : IScenario
{
    private static readonly Goal Goal = Goal.AtMost(150, Unit.Milliseconds);

    private string? _seeded;

    public string Key => "pages";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var size = $"{options.SeedEnvironments:N0} environments, {options.SeedEvents:N0} events";
        var data = run.SharedFolder("pages-data");
        if (_seeded is null)
        {
            BenchmarkRun.Say($"pages: seeding {size}");
            var clock = Stopwatch.StartNew();
            _seeded = await PortalSeed.SeedAsync(data, options.SeedEnvironments, options.SeedEvents, cancellationToken);
            BenchmarkRun.Say($"pages: seeded {_seeded} in {clock.Elapsed.TotalSeconds:F0} s");
        }

        await using var portal = await run.StartPortalOnAsync(data, cancellationToken);
        using var http = await PortalApi.SignInAsync(portal.BaseAddress, "alice", cancellationToken);
        // Each page must show what it is for (a prerender without its data would be quick and wrong).
        foreach (var (path, label, shows) in new[]
                 {
                     ("environments", "environments page", "href=\"/environments/env-"),
                     ($"environments/{PortalSeed.Typical}", "environment page, an environment with 1 revision", "data-testid=\"deployment\""),
                     ($"environments/{PortalSeed.Busiest}",
                      $"environment page, the busiest ({PortalSeed.BusiestRevisions} revisions, {PortalSeed.BusiestRevisions * PortalSeed.EventsPerBusiestRevision:N0} events)",
                      "data-testid=\"deployment\""),
                 })
        {
            var times = await TimeAsync(http, path, shows, options.PageLoads, cancellationToken);
            run.Figures.Record(new Figure($"{label} ({size}): server time p50", Unit.Milliseconds), Latencies.P50(times));
            run.Figures.Record(new Figure($"{label} ({size}): server time p95", Unit.Milliseconds, Goal), Latencies.P95(times));
        }

        // Not a goal of its own: the API's list still answers with every environment.
        using var api = PortalApi.Client(portal.BaseAddress, "alice");
        var list = await TimeAsync(api, "api/environments", PortalSeed.Busiest, options.PageLoads, cancellationToken);
        run.Figures.Record(new Figure($"API GET /api/environments, all {options.SeedEnvironments:N0}: p50", Unit.Milliseconds), Latencies.P50(list));
    }

    /// <summary>Two untimed loads (first-use costs), then <paramref name="loads"/> timed ones, one after another.</summary>
    private static async Task<List<double>> TimeAsync(HttpClient http, string path, string shows, int loads, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = -2; i < loads; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            clock.Stop();
            if (response.StatusCode != HttpStatusCode.OK || !html.Contains(shows, StringComparison.Ordinal))
                throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode} without {shows}");
            if (i >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }
}
