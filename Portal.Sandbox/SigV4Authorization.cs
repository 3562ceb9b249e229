using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Sandbox;

/// <summary>What a request's <c>Authorization</c> header claims: when it was signed, for which scope, over which headers.</summary>
internal sealed record SignedRequest(string RequestTime, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public string Scope => $"{Date}/{Region}/{Service}/{SigV4.Terminator}";
}

/// <summary>
/// Verifies a request's SigV4 signature against the sandbox's own credentials (<see cref="SandboxOptions.AccessKeyId"/>,
/// <see cref="SandboxOptions.SecretAccessKey"/>), answering the 403 errors AWS gives. <see cref="Check"/> needs the
/// headers only, so a request that cannot be genuine is refused before its body is read; <see cref="Verify"/> then
/// checks the signature over the body. Each endpoint verifies requests scoped to its own <paramref name="service"/>
/// (<c>cloudformation</c>, <c>ecs</c>, <c>logs</c>, <c>elasticloadbalancing</c>, <c>sqs</c>), as AWS's do.
/// </summary>
internal sealed class SigV4Authorization(SandboxOptions options, TimeProvider time, string service)
{
    /// <summary>How far a request's date may be from the sandbox's clock, either way (AWS allows the same).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    private const string BasicFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Everything but the signature: a well-formed header scoped to the endpoint's service, a date within
    /// <see cref="MaxClockSkew"/> of the sandbox's clock, the sandbox's access key.
    /// </summary>
    public SignedRequest Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
            throw Forbidden("MissingAuthenticationToken", "Request is missing Authentication Token");

        var spaceAt = header.IndexOf(' ');
        var algorithm = spaceAt < 0 ? header : header[..spaceAt];
        if (algorithm != SigV4.Algorithm)
            throw Forbidden("IncompleteSignature", $"Unsupported AWS 'algorithm': '{algorithm}'");

        var components = header[(spaceAt + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);

        var problems = new List<string>();
        if (!components.ContainsKey("Credential"))
            problems.Add("Authorization header requires 'Credential' parameter.");
        if (!components.ContainsKey("Signature"))
            problems.Add("Authorization header requires 'Signature' parameter.");
        if (!components.ContainsKey("SignedHeaders"))
            problems.Add("Authorization header requires 'SignedHeaders' parameter.");
        // AWS also takes an HTTP Date header; every SDK sends X-Amz-Date, so the sandbox takes that alone.
        if (!request.Headers.ContainsKey("X-Amz-Date"))
            problems.Add("Authorization header requires existence of a 'X-Amz-Date' header.");
        if (problems.Count > 0)
            throw Forbidden("IncompleteSignature", string.Join(' ', problems));

        var scope = CheckCredential(components["Credential"]);

        var signedHeaders = components["SignedHeaders"].Split(';');
        if (signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()) || !signedHeaders.Contains("host"))
            throw Forbidden("IncompleteSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

        var signature = components["Signature"];
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower))
            throw Forbidden("IncompleteSignature", "The request signature must be 64 lowercase hexadecimal characters.");

        var (requestTime, signedAt) = RequestTime(request);
        if (scope[1] != requestTime[..8])
            throw Forbidden("SignatureDoesNotMatch",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{requestTime[..8]}', from '{requestTime}'.");
        if (scope[0] != options.AccessKeyId)
            throw Forbidden("InvalidClientTokenId", "The security token included in the request is invalid.");
        CheckClock(requestTime, signedAt);

        return new SignedRequest(requestTime, scope[1], scope[2], scope[3], signedHeaders, signature);
    }

    /// <summary>The signature, recomputed over the request as received and its body, must be the one sent.</summary>
    public void Verify(HttpRequest request, SignedRequest signed, ReadOnlySpan<byte> body)
    {
        var (path, query) = Target(request);
        var canonical = SigV4.CanonicalRequest(request.Method, path, query,
            name => request.Headers.TryGetValue(name, out var values) ? values.Select(v => v ?? "") : [],
            signed.SignedHeaders, SigV4.Hash(body));
        var expected = SigV4.Signature(options.SecretAccessKey, signed.Date, signed.Region, signed.Service,
            SigV4.StringToSign(signed.RequestTime, signed.Scope, canonical));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signed.Signature)))
            throw Forbidden("SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    // Credential=<access key>/<yyyyMMdd>/<region>/<service>/aws4_request
    private string[] CheckCredential(string credential)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0)
            throw Forbidden("IncompleteSignature", $"Credential should have exactly 5 slash-separated components: access key/date/region/service/aws4_request (was '{Redact(scope)}').");
        if (scope[1].Length != 8 || !scope[1].All(char.IsAsciiDigit))
            throw Forbidden("IncompleteSignature", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}'.");
        if (scope[2].Length == 0)
            throw Forbidden("SignatureDoesNotMatch", "Credential should be scoped to a valid region.");
        if (scope[3] != service)
            throw Forbidden("SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'.");
        if (scope[4] != SigV4.Terminator)
            throw Forbidden("SignatureDoesNotMatch", $"Credential should be scoped with a valid terminator: '{SigV4.Terminator}'.");
        return scope;
    }

    /// <summary>The X-Amz-Date, ISO 8601 basic as the string to sign carries it.</summary>
    private static (string RequestTime, DateTimeOffset SignedAt) RequestTime(HttpRequest request)
    {
        var requestTime = request.Headers["X-Amz-Date"].ToString();
        if (DateTimeOffset.TryParseExact(requestTime, BasicFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            return (requestTime, signedAt);
        throw Forbidden("IncompleteSignature", $"Date must be in ISO-8601 'basic format'. Got '{requestTime}'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    private void CheckClock(string requestTime, DateTimeOffset signedAt)
    {
        var now = time.GetUtcNow();
        if (signedAt < now - MaxClockSkew)
            throw Forbidden("RequestExpired",
                $"Signature expired: {requestTime} is now earlier than {Basic(now - MaxClockSkew)} ({Basic(now)} - 15 min.)");
        if (signedAt > now + MaxClockSkew)
            throw Forbidden("RequestExpired",
                $"Signature not yet current: {requestTime} is still later than {Basic(now + MaxClockSkew)} ({Basic(now)} + 15 min.)");
    }

    private static string Basic(DateTimeOffset at) => at.UtcDateTime.ToString(BasicFormat, CultureInfo.InvariantCulture);

    /// <summary>The path and query exactly as the client sent them, which is what it signed.</summary>
    private static (string Path, string Query) Target(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
            target = (request.PathBase + request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        var queryAt = target.IndexOf('?');
        return queryAt < 0 ? (target, "") : (target[..queryAt], target[(queryAt + 1)..]);
    }

    // The access key id is an identifier, not a secret, but an error message has no need of it.
    private static string Redact(string[] scope) => string.Join('/', scope.Skip(1).Prepend("<access key>"));

    private static CloudFormationError Forbidden(string code, string message) => new(HttpStatusCode.Forbidden, code, message);
}
