using System.Security.Cryptography;
using System.Text;

namespace Portal.Sandbox;

/// <summary>
/// Signature Version 4 as the receiving side computes it: canonical request, string to sign, signing key, signature.
/// The sandbox's own implementation, sharing nothing with the portal's client (which signs with AWSSDK.Core), so that a
/// mistake in one is caught by the other; checked against AWS's published SigV4 test suite.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query string, the signed headers with their values,
    /// the signed header names, the payload's hash.
    /// </summary>
    /// <param name="path">The path as sent (percent-encoded as on the wire).</param>
    /// <param name="query">The query string as sent, without its '?'.</param>
    /// <param name="headerValues">Every value of a header (by its lower-case name) in the order sent; none if absent.</param>
    public static string CanonicalRequest(
        string method, string path, string query, Func<string, IEnumerable<string>> headerValues,
        IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var names = signedHeaders.Order(StringComparer.Ordinal).ToList();
        var builder = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalUri(path)).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in names)
            builder.Append(name).Append(':').AppendJoin(',', headerValues(name).Select(TrimAll)).Append('\n');
        return builder.Append('\n').AppendJoin(';', names).Append('\n').Append(payloadHash).ToString();
    }

    public static string StringToSign(string requestTime, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{requestTime}\n{scope}\n{Hash(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The hex signature of <paramref name="stringToSign"/> with the key derived from the secret and the scope.</summary>
    public static string Signature(string secretAccessKey, string date, string region, string service, string stringToSign)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Lower-case hex SHA-256, as the payload hash and the canonical request's hash are written.</summary>
    public static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// The path with '.' and '..' segments resolved and empty ones dropped, each segment URI-encoded once more (so a
    /// path sent as <c>/a%20b</c> signs as <c>/a%2520b</c>, as every service but S3 canonicalizes it).
    /// </summary>
    private static string CanonicalUri(string path)
    {
        var segments = path.Split('/');
        var kept = new List<string>();
        foreach (var segment in segments.Skip(1))
        {
            if (segment is "" or ".")
                continue;
            if (segment == "..")
            {
                if (kept.Count > 0)
                    kept.RemoveAt(kept.Count - 1);
                continue;
            }
            kept.Add(UriEncode(segment));
        }
        var trailingSlash = kept.Count > 0 && segments.Length > 1 && segments[^1] is "" or "." or "..";
        return "/" + string.Join('/', kept) + (trailingSlash ? "/" : "");
    }

    /// <summary>Each name and value decoded ('+' is a space) and encoded again, sorted by name, then value.</summary>
    private static string CanonicalQuery(string query) =>
        string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Name: UriEncode(Decode(parts[0])), Value: parts.Length > 1 ? UriEncode(Decode(parts[1])) : ""))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));

    /// <summary>RFC 3986 encoding of every byte but the unreserved characters, hex in upper case.</summary>
    private static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>A header value trimmed, with runs of spaces inside it made one.</summary>
    private static string TrimAll(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (c == ' ' && builder.Length > 0 && builder[^1] == ' ')
                continue;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
