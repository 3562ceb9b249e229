namespace Portal.Infra.Aws;

/// <summary>Refuses a request the API would refuse, before it is signed and sent, naming the field.</summary>
internal static class RequestCheck
{
    public static void Required(string? value, string request, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{request}.{field} is required.", field);
    }

    /// <summary>A list of 1 to <paramref name="max"/> names or ARNs, none empty.</summary>
    public static void Names(IReadOnlyList<string>? values, int max, string request, string field)
    {
        if (values is null || values.Count < 1 || values.Count > max || values.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{request}.{field} must hold 1 to {max} names, none empty (got {values?.Count ?? 0}).", field);
    }

    public static void Range(int value, int min, int max, string request, string field)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{request}.{field} must be between {min} and {max} (got {value}).", field);
    }
}
