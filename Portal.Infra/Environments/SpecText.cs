using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Infra.Environments;

/// <summary>How messages echo user input and how field paths are written.</summary>
internal static partial class SpecText
{
    private const int EchoLength = 40;

    /// <summary>
    /// User text as a quoted, escaped and truncated literal: a message never carries a megabyte or a line break
    /// from the input, only enough to recognise the value.
    /// </summary>
    public static string Quote(string value)
    {
        var shown = value.Length > EchoLength ? value[..EchoLength] : value;
        var text = new StringBuilder("\"");
        foreach (var c in shown)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        text.Append('"');
        if (value.Length > EchoLength)
        {
            text.Append($"… ({value.Length:N0} characters)");
        }
        return text.ToString();
    }

    /// <summary>Text known to be printable (e.g. a JSON number), cut to a recognisable length.</summary>
    public static string Shorten(string value) =>
        value.Length > EchoLength ? $"{value[..EchoLength]}… ({value.Length:N0} characters)" : value;

    /// <summary>The path of a member: <c>frontend.environment.LOG_LEVEL</c>, or <c>frontend.environment["a b"]</c> for odd keys.</summary>
    public static string Member(string path, string key)
    {
        var member = PlainKey().IsMatch(key) ? key : $"[{Quote(key)}]";
        return path.Length == 0 ? member : member.StartsWith('[') ? path + member : $"{path}.{member}";
    }

    public static string Item(string path, int index) => $"{path}[{index}]";

    /// <summary>Whether an error at <paramref name="path"/> concerns <paramref name="other"/> or something inside it.</summary>
    public static bool IsWithin(string path, string other) =>
        path == other || other == "$" ||
        (path.StartsWith(other, StringComparison.Ordinal) && path[other.Length] is '.' or '[');

    /// <summary>"a, b or c".</summary>
    public static string List(IEnumerable<string> items, string conjunction)
    {
        var all = items.ToList();
        return all.Count <= 1 ? string.Concat(all) : $"{string.Join(", ", all[..^1])} {conjunction} {all[^1]}";
    }

    /// <summary>Names a character a person may not see: "a space", "a tab", "U+0007", or the character quoted.</summary>
    public static string DescribeChar(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' or '\r' => "a line break",
        '\0' => "a NUL character",
        _ when char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c) => $"the character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex PlainKey();
}
