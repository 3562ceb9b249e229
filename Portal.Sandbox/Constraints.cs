using System.Text;

namespace Portal.Sandbox;

/// <summary>
/// A request's constraint violations, collected so that all of them are answered at once, worded as AWS words them:
/// "2 validation errors detected: Value at 'description' failed to satisfy constraint: Member must have length less
/// than or equal to 1024; Value at 'tags.1.member.key' failed …". Values are not echoed: they may be long.
/// </summary>
internal sealed class Constraints
{
    private readonly List<string> _violations = [];

    /// <summary>A string of at most <paramref name="max"/> characters.</summary>
    public Constraints MaxLength(string field, string? value, int max) =>
        Check(value is null || value.Length <= max, field, max);

    /// <summary>A string of at most <paramref name="max"/> bytes in UTF-8 (CloudFormation's limits on values are in bytes).</summary>
    public Constraints MaxBytes(string field, string? value, int max) =>
        Check(value is null || Encoding.UTF8.GetByteCount(value) <= max, field, max);

    /// <summary>A list of at most <paramref name="max"/> members.</summary>
    public Constraints MaxCount(string field, int count, int max) => Check(count <= max, field, max);

    public void ThrowIfAny()
    {
        if (_violations.Count > 0)
            throw CloudFormationError.Validation(
                $"{_violations.Count} validation error{(_violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", _violations)}");
    }

    private Constraints Check(bool holds, string field, int max)
    {
        if (!holds)
            _violations.Add($"Value at '{field}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        return this;
    }
}
