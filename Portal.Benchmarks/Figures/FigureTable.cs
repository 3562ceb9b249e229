using System.Globalization;

namespace Portal.Benchmarks.Figures;

/// <summary>
/// The values every repeat measured, by figure, in the order figures were first recorded; printed as a Markdown table
/// of medians with min and max, so a noisy machine shows as a wide range.
/// </summary>
public sealed class FigureTable
{
    private readonly List<Figure> _order = [];
    private readonly Dictionary<Figure, List<double>> _values = [];

    /// <summary>Adds a repeat's value; figures are told apart by their label.</summary>
    public void Record(Figure figure, double value)
    {
        var known = _order.FirstOrDefault(f => f.Label == figure.Label);
        if (known is null)
        {
            _order.Add(known = figure);
            _values[figure] = [];
        }
        _values[known].Add(value);
    }

    /// <summary>The median of the repeats' values (the mean of the middle two for an even count); NaN when none.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Figures with a goal whose median misses it.</summary>
    public IEnumerable<Figure> Missed => _order.Where(f => f.Goal is { } goal && !double.IsNaN(Median(_values[f])) && !goal.IsMet(Median(_values[f])));

    public void Write(TextWriter output)
    {
        output.WriteLine("| figure | goal | median | min – max | runs | met |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var figure in _order)
        {
            var measured = _values[figure].Where(v => !double.IsNaN(v)).ToList();
            var median = Median(measured);
            var range = measured.Count == 0 ? "n/a" : $"{figure.Unit.Print(measured.Min())} – {figure.Unit.Print(measured.Max())}";
            var met = figure.Goal is not { } goal || measured.Count == 0 ? "" : goal.IsMet(median) ? "yes" : "**no**";
            output.WriteLine($"| {figure.Label} | {figure.Goal?.Text ?? ""} | {figure.Unit.Print(median)} | {range} | " +
                             $"{measured.Count.ToString(CultureInfo.InvariantCulture)} | {met} |");
        }
    }
}
