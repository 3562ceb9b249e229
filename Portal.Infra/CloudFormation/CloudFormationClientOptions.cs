using Portal.Infra.Aws;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// The <see cref="AwsClientOptions"/> the host binds from section <c>CloudFormation</c>; the factory hands the same
/// instance to every client of every target, so one setting governs all of a target's AWS calls.
/// </summary>
public sealed class CloudFormationClientOptions : AwsClientOptions
{
}
