using Portal.Benchmarks.Figures;
using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>Start-up: from the command (<c>dotnet Portal.Web.dll</c>, a fresh data folder) to the first page served.</summary>
public sealed class StartupScenario : IScenario
{
    private static readonly Figure StartUp = new("start-up: command → first page served (GET /signin 200), fresh data folder",
        Unit.Milliseconds, Goal.AtMost(5000, Unit.Milliseconds));

    public string Key => "startup";

    public async Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        await using var portal = await run.StartPortalAsync("startup", cancellationToken);
        run.Figures.Record(StartUp, portal.StartedIn.TotalMilliseconds);
    }
}
