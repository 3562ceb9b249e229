using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Sandbox;

/// <summary>The flat parameters of an AWS Query request (form body merged over the query string).</summary>
internal sealed partial class QueryRequest(IReadOnlyDictionary<string, string> parameters)
{
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    /// <summary>The query string's parameters and, for a form post, those of <paramref name="body"/> over them.</summary>
    public static QueryRequest Parse(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
            parameters[key] = value.ToString();
        if (request.HasFormContentType && body.Length > 0)
        {
            try
            {
                foreach (var (key, value) in new FormReader(Encoding.UTF8.GetString(body)).ReadForm())
                    parameters[key] = value.ToString();
            }
            catch (InvalidDataException e)
            {
                throw new CloudFormationError(HttpStatusCode.BadRequest, "MalformedQueryString", $"The request body could not be read: {e.Message}");
            }
        }
        return new QueryRequest(parameters);
    }

    public string? Optional(string name) =>
        Parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>A required parameter; <paramref name="field"/> is the camel-case member name AWS reports.</summary>
    public string Required(string name, string field) => Optional(name) ?? throw CloudFormationError.MissingParameter(field);

    public bool Flag(string name) => string.Equals(Optional(name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A <c>Name.member.N</c> list in index order.</summary>
    public IReadOnlyList<string> List(string name) =>
        Members(name).Select(index => Parameters[$"{name}.member.{index}"]).ToList();

    /// <summary>A <c>Name.member.N.Field</c> list of structures, each as its fields.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Structures(string name)
    {
        var prefix = $"{name}.member.";
        return Parameters.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.', 2))
            .Where(parts => parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .GroupBy(parts => int.Parse(parts[0], CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g => (IReadOnlyDictionary<string, string>)g.ToDictionary(p => p[1], p => Parameters[$"{prefix}{g.Key}.{p[1]}"], StringComparer.Ordinal))
            .ToList();
    }

    private IEnumerable<int> Members(string name)
    {
        var prefix = $"{name}.member.";
        return Parameters.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => int.TryParse(k.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Where(i => i > 0)
            .Order();
    }

    /// <summary>Checks a name against CloudFormation's name pattern, answering AWS's constraint message.</summary>
    public static string CheckName(string value, string field)
    {
        if (value.Length > 128)
            throw CloudFormationError.Validation($"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have length less than or equal to 128");
        if (!NamePattern().IsMatch(value))
            throw CloudFormationError.Validation($"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        return value;
    }

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]*$")]
    private static partial Regex NamePattern();
}
