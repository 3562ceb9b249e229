namespace Portal.Infra.Environments;

/// <summary>
/// Collects errors, keeping at most <see cref="SpecLimits.MaxErrors"/> (a hostile document can hold a million
/// broken items; nobody reads past the first screen) and counting the rest for a one-line summary.
/// </summary>
internal sealed class SpecErrorList
{
    private readonly List<SpecError> _kept = [];
    private IReadOnlyList<string> _unreadable = [];

    public int Count { get; private set; }

    public void Add(SpecError error)
    {
        if (_unreadable.Any(path => SpecText.IsWithin(error.Path, path) || SpecText.IsWithin(path, error.Path)))
        {
            return;
        }
        if (Count++ < SpecLimits.MaxErrors)
        {
            _kept.Add(error);
        }
    }

    /// <summary>
    /// From now on, drop errors about the fields reported so far (or about the objects holding them as a whole):
    /// a field that could not be read was left at its default, and judging that default would repeat the problem.
    /// </summary>
    public void IgnoreWhatIsReported() => _unreadable = [.. _kept.Select(e => e.Path)];

    public IReadOnlyList<SpecError> ToList() => Count <= SpecLimits.MaxErrors
        ? [.. _kept]
        : [.. _kept.Take(SpecLimits.MaxErrors - 1),
            new("$", $"{Count - (SpecLimits.MaxErrors - 1):N0} more problems are not listed; fix the ones above first.")];
}
