using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Portal.Sandbox;

/// <summary>A request's body, read whole but never past <see cref="SandboxOptions.MaxRequestBytes"/>.</summary>
internal static class RequestBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// The body's bytes. One whose Content-Length is over <paramref name="limit"/> is refused before any of it is read; one
    /// without (chunked) is refused as soon as it passes the limit, and the rest is not read.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            throw TooLarge(limit);
        using var body = new MemoryStream(request.ContentLength is { } length ? (int)length : 0);
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
                throw TooLarge(limit);
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    private static CloudFormationError TooLarge(int limit) => new(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge",
        $"The request body is larger than the sandbox accepts: at most {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes ({SandboxOptions.SectionName}:{nameof(SandboxOptions.MaxRequestBytes)}).");
}
