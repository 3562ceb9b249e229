using System.Collections.Concurrent;
using Portal.Infra.Aws;

namespace Portal.Infra.Targets;

/// <summary>
/// Where the built-in sandbox's endpoints listen in this process, once they do. A Sandbox target without a configured
/// ServiceUrl is sent there. The host that runs the sandbox either sets <see cref="SandboxAddress.ServiceUrl"/>
/// (registered by <c>AddPortalInfra</c>) after it starts listening, or registers its own <see cref="ISandboxAddress"/>
/// (<c>AddPortalInfra</c> adds its own only where none is).
/// </summary>
public interface ISandboxAddress
{
    /// <summary>The CloudFormation endpoint's absolute URL (its path included), or null while no sandbox is running.</summary>
    Uri? ServiceUrl { get; }

    /// <summary>
    /// The endpoint of <paramref name="service"/> (its signing name: <c>ecs</c>, <c>elasticloadbalancing</c>, <c>logs</c>), or
    /// null while no sandbox is running: the path beside <see cref="ServiceUrl"/> named after it
    /// (<c>…/sandbox/cloudformation</c> → <c>…/sandbox/ecs</c>), as the sandbox serves them.
    /// </summary>
    Uri? UrlOf(string service) => ServiceUrl is { } cloudFormation ? AwsEndpoints.Beside(cloudFormation, service) : null;
}

/// <summary>The default <see cref="ISandboxAddress"/>: set by the host once the sandbox is listening.</summary>
public sealed class SandboxAddress : ISandboxAddress
{
    private readonly ConcurrentDictionary<string, Uri> _elsewhere = new(StringComparer.OrdinalIgnoreCase);

    public Uri? ServiceUrl { get; set; }

    /// <summary>Where <paramref name="service"/> answers when not beside <see cref="ServiceUrl"/> (a sandbox laid out otherwise).</summary>
    public void SetUrl(string service, Uri url) => _elsewhere[service] = url;

    public Uri? UrlOf(string service) =>
        _elsewhere.TryGetValue(service, out var url) ? url : ServiceUrl is { } cloudFormation ? AwsEndpoints.Beside(cloudFormation, service) : null;
}

/// <summary>
/// The credentials Sandbox targets sign with: configuration section "Sandbox", the same <c>Sandbox:AccessKeyId</c> and
/// <c>Sandbox:SecretAccessKey</c> the sandbox endpoint verifies signatures with, so changing them there changes both.
/// Not AWS credentials: they only admit the portal's clients to its own sandbox. The defaults are development values
/// (those of the sandbox's own defaults), so a development run works without configuring any.
/// </summary>
public sealed class SandboxCredentials
{
    public const string Section = "Sandbox";

    public string AccessKeyId { get; set; } = "AKIDPORTALSANDBOX000";
    public string SecretAccessKey { get; set; } = "portal-sandbox-not-a-secret";
}
