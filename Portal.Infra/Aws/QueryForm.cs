using System.Globalization;

namespace Portal.Infra.Aws;

/// <summary>
/// The form body of one AWS Query call: <c>Action=…</c> plus parameters, lists flattened the Query way
/// (<c>Capabilities.member.1=…</c>, <c>Tags.member.1.Key=…</c>); <see cref="QueryProtocol"/> adds the API's
/// <c>Version</c>. Absent values are left out.
/// </summary>
internal sealed class QueryForm(string action)
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public string Action { get; } = action;

    public QueryForm Add(string name, string? value)
    {
        if (value is not null)
            _fields.Add(new(name, value));
        return this;
    }

    public QueryForm Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryForm AddList(string name, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
            Add($"{name}.member.{i + 1}", values[i]);
        return this;
    }

    /// <summary>A list of structures: <c>Tags.member.1.Key=…&amp;Tags.member.1.Value=…</c>.</summary>
    public QueryForm AddMembers<T>(string name, IReadOnlyList<T> items, Func<T, (string Field, string? Value)[]> fields)
    {
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var (field, value) in fields(items[i]))
                Add($"{name}.member.{i + 1}.{field}", value);
        }
        return this;
    }

    public FormUrlEncodedContent ToContent(string version) =>
        new([new("Action", Action), new("Version", version), .. _fields]);
}
