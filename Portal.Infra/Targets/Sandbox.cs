namespace Portal.Infra.Targets;

/// <summary>
/// Where the built-in sandbox CloudFormation endpoint listens in this process, once it does. A Sandbox target
/// without a configured ServiceUrl is sent there. The host that runs the sandbox either sets
/// <see cref="SandboxAddress.ServiceUrl"/> (registered by <c>AddCloudFormation</c>) after it starts listening,
/// or registers its own <see cref="ISandboxAddress"/> before calling <c>AddCloudFormation</c>.
/// </summary>
public interface ISandboxAddress
{
    /// <summary>The endpoint's absolute URL (its path included), or null while no sandbox is running.</summary>
    Uri? ServiceUrl { get; }
}

/// <summary>The default <see cref="ISandboxAddress"/>: set by the host once the sandbox is listening.</summary>
public sealed class SandboxAddress : ISandboxAddress
{
    public Uri? ServiceUrl { get; set; }
}

/// <summary>
/// The fixed credentials every Sandbox target signs with, so no AWS account is needed. They are not a
/// secret: the sandbox checks that requests are well-formed SigV4, not who signed them.
/// </summary>
public static class SandboxCredentials
{
    public const string AccessKeyId = "AKIDPORTALSANDBOX000";
    public const string SecretAccessKey = "portal-sandbox-not-a-secret";
}
