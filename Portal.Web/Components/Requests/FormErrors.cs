using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Requests;

/// <summary>
/// The validator's errors for the form, shown field by field: on a field once the user has changed it (or anything
/// inside it), and everywhere once they tried to submit. Errors no field shows are listed by <see cref="Unplaced"/>.
/// </summary>
public sealed class FormErrors
{
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private IReadOnlyList<FieldError> _errors = [];
    private bool _showAll;

    /// <summary>All current errors, shown or not.</summary>
    public IReadOnlyList<FieldError> All => _errors;

    public void Set(IReadOnlyList<FieldError> current) => _errors = current;

    /// <summary>The user changed the field at <paramref name="path"/>: its errors (and those of what contains it) show from now on.</summary>
    public void Touch(params string[] paths) => _touched.UnionWith(paths);

    /// <summary>After a submit attempt every error shows.</summary>
    public void ShowAll() => _showAll = true;

    public bool Has(string path) => Text(path) is not null;

    /// <summary>The shown messages for exactly <paramref name="path"/>, or null.</summary>
    public string? Text(string path)
    {
        var messages = _errors.Where(e => e.Field == path && IsShown(e.Field)).Select(e => e.Message).Distinct().ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Shown errors under <paramref name="prefix"/> that no field in <paramref name="placed"/> displays.</summary>
    public IEnumerable<FieldError> Unplaced(IReadOnlySet<string> placed, string prefix) =>
        _errors.Where(e => Within(e.Field, prefix) && !placed.Contains(e.Field) && IsShown(e.Field));

    private bool IsShown(string path) => _showAll || _touched.Any(t => Within(t, path));

    /// <summary>Whether <paramref name="path"/> is <paramref name="container"/> or a field inside it.</summary>
    private static bool Within(string path, string container) =>
        container.Length == 0 || path == container ||
        (path.StartsWith(container, StringComparison.Ordinal) && path.Length > container.Length && path[container.Length] is '.' or '[');
}
