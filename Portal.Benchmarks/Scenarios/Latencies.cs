using Portal.Benchmarks.Figures;

namespace Portal.Benchmarks.Scenarios;

/// <summary>Samples of one repeat, summarized as that repeat's percentiles.</summary>
internal static class Latencies
{
    public static double P50(IEnumerable<double> samples) => BenchmarkFigures.Percentile([.. samples.Order()], 0.50);

    public static double P95(IEnumerable<double> samples) => BenchmarkFigures.Percentile([.. samples.Order()], 0.95);
}
