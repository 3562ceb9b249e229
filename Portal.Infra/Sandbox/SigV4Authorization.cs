using System.Net;
using Microsoft.AspNetCore.Http;

namespace Portal.Infra.Sandbox;

/// <summary>
/// Checks that a request carries a well-formed SigV4 <c>Authorization</c> header scoped to CloudFormation,
/// answering the errors AWS gives. The secret is not checked: the sandbox has no account.
/// </summary>
internal static class SigV4Authorization
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    public static void Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
            throw Forbidden("MissingAuthenticationToken", "Request is missing Authentication Token");

        var spaceAt = header.IndexOf(' ');
        var algorithm = spaceAt < 0 ? header : header[..spaceAt];
        if (algorithm != Algorithm)
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
        if (!request.Headers.ContainsKey("X-Amz-Date") && !request.Headers.ContainsKey("Date"))
            problems.Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        if (problems.Count > 0)
            throw Forbidden("IncompleteSignature", string.Join(' ', problems));

        CheckCredential(components["Credential"]);

        var signedHeaders = components["SignedHeaders"].Split(';');
        if (signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()) || !signedHeaders.Contains("host"))
            throw Forbidden("IncompleteSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

        var signature = components["Signature"];
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower))
            throw Forbidden("IncompleteSignature", "The request signature must be 64 lowercase hexadecimal characters.");
    }

    // Credential=<access key>/<yyyyMMdd>/<region>/cloudformation/aws4_request
    private static void CheckCredential(string credential)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0)
            throw Forbidden("IncompleteSignature", $"Credential should have exactly 5 slash-separated components: access key/date/region/service/aws4_request (was '{Redact(scope)}').");
        if (scope[1].Length != 8 || !scope[1].All(char.IsAsciiDigit))
            throw Forbidden("IncompleteSignature", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}'.");
        if (scope[2].Length == 0)
            throw Forbidden("SignatureDoesNotMatch", "Credential should be scoped to a valid region.");
        if (scope[3] != "cloudformation")
            throw Forbidden("SignatureDoesNotMatch", "Credential should be scoped to correct service: 'cloudformation'.");
        if (scope[4] != "aws4_request")
            throw Forbidden("SignatureDoesNotMatch", "Credential should be scoped with a valid terminator: 'aws4_request'.");
    }

    // The access key id is an identifier, not a secret, but an error message has no need of it.
    private static string Redact(string[] scope) => string.Join('/', scope.Skip(1).Prepend("<access key>"));

    private static CloudFormationError Forbidden(string code, string message) => new(HttpStatusCode.Forbidden, code, message);
}
