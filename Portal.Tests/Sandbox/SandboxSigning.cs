using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>
/// Signs hand-made sandbox calls as any AWS client would, through AWSSDK.Core's SigV4 signer (never the sandbox's own
/// code), at a time the test chooses: the sandbox's clock when it is a fake one, a stale time, other credentials.
/// </summary>
internal static class SandboxSigning
{
    /// <summary>
    /// The shape of a SigV4 header, its signature never computed: what a forger sends, and what a request needs to
    /// look like a CloudFormation call where nothing verifies it (a host that must not serve the sandbox at all).
    /// </summary>
    public const string UnsignedAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDPORTALSANDBOX000/20250101/us-east-1/cloudformation/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>The sandbox's development credentials, what a sandbox with default options verifies against.</summary>
    public static AWSCredentials DevelopmentCredentials => Credentials(new SandboxOptions());

    public static AWSCredentials Credentials(SandboxOptions options) => new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey);

    /// <summary>
    /// Signs <paramref name="request"/> (replacing any signature it carries) with <paramref name="credentials"/> at
    /// <paramref name="at"/>, scoped to <paramref name="service"/>.
    /// </summary>
    public static async Task SignAsync(
        HttpRequestMessage request, AWSCredentials credentials, DateTimeOffset at, CancellationToken cancellationToken = default, string service = "cloudformation")
    {
        foreach (var header in new[] { "Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token" })
            request.Headers.Remove(header);
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri!,
            Content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken),
        };
        if (request.Content?.Headers.ContentType is { } contentType)
            signing.Headers["Content-Type"] = contentType.ToString();
        foreach (var target in request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets : [])
            signing.Headers["X-Amz-Target"] = target;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.USEast1,
            Service = service,
            SignedAt = at.UtcDateTime,
        }, cancellationToken);
        foreach (var (name, value) in signed.Headers)
            request.Headers.TryAddWithoutValidation(name, value);
    }

    /// <summary>
    /// A transport for the portal's <c>CloudFormationClient</c> that signs every attempt at <paramref name="clock"/>'s time,
    /// for a sandbox whose clock the test moves.
    /// </summary>
    public sealed class ClockHandler(AWSCredentials credentials, TimeProvider clock) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await SignAsync(request, credentials, clock.GetUtcNow(), cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
