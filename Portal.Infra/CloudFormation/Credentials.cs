using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.SharedInterfaces;

namespace Portal.Infra.CloudFormation;

/// <summary>
/// The standard AWS credential chain (environment, web identity, profiles, container/EC2 role), resolved when
/// a call is signed rather than at start-up, so a host without AWS credentials starts and only calls to Aws
/// targets fail, with the SDK's explanation.
/// </summary>
internal sealed class DefaultChainCredentials : AWSCredentials
{
    public override ImmutableCredentials GetCredentials() =>
        DefaultAWSCredentialsIdentityResolver.GetCredentials().GetCredentials();

    public override async Task<ImmutableCredentials> GetCredentialsAsync() =>
        await (await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync()).GetCredentialsAsync();
}

/// <summary>
/// A target's RoleArn assumed through STS in the target's own region. The base class caches the session and,
/// once it is within <see cref="RefreshWindow"/> of expiring, fetches the next one in the background while the
/// current one still signs, so calls neither wait for STS nor sign with an expired key.
/// </summary>
internal sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    /// <summary>As AWSSDK's AssumeRoleAWSCredentials does for hour-long sessions.</summary>
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(15);

    private readonly ICoreAmazonSTS _sts;
    private readonly string _roleArn;
    private readonly string _sessionName;

    public AssumedRoleCredentials(ICoreAmazonSTS sts, string roleArn, string sessionName)
    {
        _sts = sts;
        _roleArn = roleArn;
        _sessionName = sessionName;
        PreemptExpiryTime = RefreshWindow;
    }

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        ToState(_sts.CredentialsFromAssumeRoleAuthentication(_roleArn, _sessionName, new AssumeRoleAWSCredentialsOptions()));

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync() =>
        ToState(await _sts.CredentialsFromAssumeRoleAuthenticationAsync(_roleArn, _sessionName, new AssumeRoleAWSCredentialsOptions()));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            (_sts as IDisposable)?.Dispose();
        base.Dispose(disposing);
    }

    private static CredentialsRefreshState ToState(AssumeRoleImmutableCredentials credentials) =>
        new(credentials, credentials.Expiration);
}
