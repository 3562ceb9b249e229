using Portal.Infra.Environments;

namespace Portal.Web.Components.Shared;

/// <summary>
/// The <c>maxlength</c> of every input. An interactive page sends each keystroke's value over its circuit, whose
/// messages are capped at 32 KB: a pasted megabyte would drop the connection instead of showing an error. The browser
/// cuts input at these lengths, one character past the spec's own limit, so the validator still says "at most …".
/// </summary>
public static class InputLimits
{
    public const int Name = SpecLimits.MaxNameLength + 1;

    /// <summary>A repository name, or a URI: the registry host (<c>123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/</c>) and the name.</summary>
    public const int Repository = SpecLimits.MaxRepositoryNameLength + 64 + 1;

    /// <summary>Tags are at most 128 characters; a digest is "sha256:" and 64 hex digits.</summary>
    public const int TagOrDigest = 128 + 1;

    public const int HealthCheckPath = SpecLimits.MaxHealthCheckPathLength + 1;

    public const int VariableName = SpecLimits.MaxVariableNameLength + 1;

    public const int VariableValue = SpecLimits.MaxEnvironmentValueLength + 1;

    /// <summary>The secret's name and suffix after <c>arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:</c>.</summary>
    public const int SecretArn = SpecLimits.MaxSecretNameLength + 80 + 1;

    public const int SecretPart = SpecLimits.MaxJsonKeyLength + 1;

    /// <summary>Ports and counts: "-2147483648" and one more, so an overflow still reaches the field's error.</summary>
    public const int Number = 12;

    /// <summary>Search boxes and the destroy confirmation: nothing they match is longer.</summary>
    public const int Search = 200;
}
