using System.Globalization;

namespace Portal.Benchmarks.Figures;

/// <summary>What a figure counts in, and how its values print.</summary>
public sealed record Unit(string Suffix, string Format)
{
    public static readonly Unit Milliseconds = new(" ms", "F0");
    public static readonly Unit Seconds = new(" s", "F1");
    public static readonly Unit MiB = new(" MiB", "F0");
    public static readonly Unit Cores = new(" cores", "F2");
    public static readonly Unit Count = new("", "F0");
    public static readonly Unit Percent = new(" %", "F0");
    public static readonly Unit Rate = new(" /s", "F1");

    public string Print(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(Format, CultureInfo.InvariantCulture) + Suffix;
}

/// <summary>The goal for a figure: its text, and whether a value (the median over repeats) meets it.</summary>
public sealed record Goal(string Text, Func<double, bool> IsMet)
{
    public static Goal AtMost(double limit, Unit unit) => new($"≤ {unit.Print(limit)}", value => value <= limit);

    public static Goal All(int count) => new($"{count} / {count}", value => value >= count);
}

/// <summary>A row of the table: one figure, measured once per repeat.</summary>
public sealed record Figure(string Label, Unit Unit, Goal? Goal = null);
