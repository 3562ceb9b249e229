using Portal.Benchmarks.Running;

namespace Portal.Benchmarks.Scenarios;

/// <summary>One part of the benchmark; run once per repeat, recording its figures in <see cref="BenchmarkRun.Figures"/>.</summary>
internal interface IScenario
{
    /// <summary>Its name for <c>--only</c>.</summary>
    string Key { get; }

    Task RunAsync(BenchmarkRun run, CancellationToken cancellationToken);
}
