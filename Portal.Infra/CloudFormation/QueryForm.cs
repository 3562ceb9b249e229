namespace Portal.Infra.CloudFormation;

/// <summary>
/// The form body of one AWS Query call: <c>Action=…&amp;Version=2010-05-15</c> plus parameters, lists flattened
/// the Query way (<c>Capabilities.member.1=…</c>, <c>Tags.member.1.Key=…</c>). Absent values are left out.
/// </summary>
internal sealed class QueryForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public QueryForm(string action)
    {
        Action = action;
        Add("Action", action);
        Add("Version", CloudFormationClient.ApiVersion);
    }

    public string Action { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public QueryForm Add(string name, string? value)
    {
        if (value is not null)
            _fields.Add(new(name, value));
        return this;
    }

    public QueryForm AddList(string name, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
            Add($"{name}.member.{i + 1}", values[i]);
        return this;
    }

    public QueryForm AddTags(IReadOnlyList<Tag> tags)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            Add($"Tags.member.{i + 1}.Key", tags[i].Key);
            Add($"Tags.member.{i + 1}.Value", tags[i].Value);
        }
        return this;
    }

    public FormUrlEncodedContent ToContent() => new(_fields);
}
