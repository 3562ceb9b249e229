using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;

namespace Portal.Tests.Support;

/// <summary>
/// Stands in for STS behind a target's RoleArn: records each AssumeRole (role and session name) and hands out numbered
/// sessions (<c>ASIAFAKE1</c>, <c>session-token-1</c>, …) that expire after <c>lifetime</c>.
/// </summary>
internal sealed class FakeSts(TimeSpan lifetime) : ICoreAmazonSTS
{
    private readonly List<(string RoleArn, string SessionName)> _calls = [];
    public IReadOnlyList<(string RoleArn, string SessionName)> Calls { get { lock (_calls) return _calls.ToList(); } }
    public int CallCount => Calls.Count;
    public RegionEndpoint? Region { get; private set; }

    public ICoreAmazonSTS Create(AWSCredentials source, RegionEndpoint region)
    {
        Region = region;
        return this;
    }

    public AssumeRoleImmutableCredentials CredentialsFromAssumeRoleAuthentication(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options)
    {
        int n;
        lock (_calls)
        {
            _calls.Add((roleArn, roleSessionName));
            n = _calls.Count;
        }
        return new AssumeRoleImmutableCredentials($"ASIAFAKE{n}", "secret", $"session-token-{n}", DateTime.UtcNow + lifetime);
    }

    public Task<AssumeRoleImmutableCredentials> CredentialsFromAssumeRoleAuthenticationAsync(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options) =>
        Task.FromResult(CredentialsFromAssumeRoleAuthentication(roleArn, roleSessionName, options));

    public SAMLImmutableCredentials CredentialsFromSAMLAuthentication(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration, System.Net.ICredentials userCredential) =>
        throw new NotSupportedException();

    public Task<SAMLImmutableCredentials> CredentialsFromSAMLAuthenticationAsync(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration, System.Net.ICredentials userCredential) =>
        throw new NotSupportedException();

    public AssumeRoleImmutableCredentials CredentialsFromAssumeRoleWithWebIdentityAuthentication(string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options) =>
        throw new NotSupportedException();

    public Task<AssumeRoleImmutableCredentials> CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync(string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options) =>
        throw new NotSupportedException();
}
