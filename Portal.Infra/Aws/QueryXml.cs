using System.Globalization;
using System.Xml.Linq;

namespace Portal.Infra.Aws;

/// <summary>
/// Reads the XML replies of the AWS Query protocol. Elements are matched by local name so that emulators which drop
/// the API's namespace are read the same way. A reply that lacks what the API promises throws
/// <see cref="UnreadableReplyException"/>, which <see cref="QueryProtocol"/> reports as the service's <c>MalformedResponse</c>.
/// </summary>
internal static class QueryXml
{
    public static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
        Child(parent, listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static IReadOnlyList<string> Strings(XElement? parent, string listName) =>
        Members(parent, listName).Select(m => m.Value).ToList();

    public static DateTime? Time(XElement? parent, string name) =>
        Text(parent, name) is { Length: > 0 } value
            ? DateTime.Parse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    public static bool Bool(XElement? parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    public static int? Int(XElement? parent, string name) =>
        Text(parent, name) is { Length: > 0 } value
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new UnreadableReplyException($"<{name}> is not a number: '{value}'")
            : null;

    public static string Required(XElement? element, string name) =>
        Text(element, name) ?? throw new UnreadableReplyException(
            $"{(element is null ? "the reply" : $"<{element.Name.LocalName}>")} has no <{name}>");
}

/// <summary>A reply that arrived whole but lacks what the API promises; the protocol names the call and the service.</summary>
internal sealed class UnreadableReplyException(string detail) : Exception(detail);
