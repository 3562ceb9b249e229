using Portal.Infra.Environments;

namespace Portal.Tests.Environments;

/// <summary>The parsed forms of images and secrets that the CDK stack builds from.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public class SpecReferenceTests
{
    private const string Arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf";

    [Theory]
    [InlineData(null, null, null, Arn)]
    [InlineData("apiKey", null, null, Arn + ":apiKey::")]
    [InlineData(null, "AWSPREVIOUS", null, Arn + "::AWSPREVIOUS:")]
    [InlineData(null, null, "9d4cb84b-ad69-40c0-a0ab-cead36b967e8", Arn + ":::9d4cb84b-ad69-40c0-a0ab-cead36b967e8")]
    [InlineData("password", "AWSCURRENT", null, Arn + ":password:AWSCURRENT:")]
    public void ValueFromFollowsTheECSSecretReferenceFormat(string? jsonKey, string? stage, string? versionId, string expected)
    {
        var secret = new SecretRef { Name = "API_KEY", SecretArn = Arn, JsonKey = jsonKey, VersionStage = stage, VersionId = versionId };

        Assert.Equal(expected, secret.ValueFrom);
    }

    [Fact]
    public void ASecretARNIsTakenApart()
    {
        var arn = new SecretRef { Name = "K", SecretArn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:team/db-Zx9Yw8" }.Arn;

        Assert.Equal(new SecretsManagerArn("aws-cn", "cn-north-1", "123456789012", "team/db-Zx9Yw8"), arn);
        Assert.Equal("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:team/db-Zx9Yw8", arn!.IamResource);
        Assert.Null(SecretsManagerArn.TryParse("arn:aws:s3:::bucket"));
    }

    [Fact]
    public void APartialSecretARNIsGrantedWithExactlyTheSixCharacterSuffix()
    {
        var arn = SecretsManagerArn.TryParse("arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api")!;

        Assert.False(arn.IsComplete);
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-??????", arn.IamResource);
    }

    [Fact]
    public void ARepositoryURIIsTakenApartAndABareNameIsNot()
    {
        var byUri = new ImageRef { Repository = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/backend", Tag = "1" };
        var byName = new ImageRef { Repository = "team/backend", Digest = "sha256:" + new string('a', 64) };

        Assert.Equal(new EcrRepositoryUri("123456789012", "eu-west-1", "team/backend", "amazonaws.com"), byUri.RepositoryUri);
        Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", byUri.RepositoryUri!.RegistryHost);
        Assert.Equal("team/backend", byUri.RepositoryName);
        Assert.Equal("1", byUri.TagOrDigest);
        Assert.Null(byName.RepositoryUri);
        Assert.Equal("team/backend", byName.RepositoryName);
        Assert.Equal(byName.Digest, byName.TagOrDigest);
    }

    [Fact]
    public void AChinaRegistryKeepsItsDNSSuffix()
    {
        var uri = EcrRepositoryUri.TryParse("123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/web");

        Assert.Equal("amazonaws.com.cn", uri!.DnsSuffix);
        Assert.Equal("123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/web", uri.ToString());
    }

    [Fact]
    public void FargateSizesOfferTheDocumentedMemoryPerCpu()
    {
        Assert.Equal([256, 512, 1024, 2048, 4096, 8192, 16384], FargateSizes.CpuValues);
        Assert.Equal([512, 1024, 2048], FargateSizes.MemoryFor(256));
        Assert.Equal(23, FargateSizes.MemoryFor(4096).Count);
        Assert.Equal(12, FargateSizes.MemoryFor(8192).Count);
        Assert.Equal(122880, FargateSizes.MemoryFor(16384)[^1]);
        Assert.Empty(FargateSizes.MemoryFor(300));
    }

    [Fact]
    public void SpecsWithEqualContentsAreEqual()
    {
        var a = SpecSamples.Load(SpecSamples.PaymentsTest);
        var b = SpecSamples.Load(SpecSamples.PaymentsTest);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Backend = b.Backend with { Environment = new Dictionary<string, string>(b.Backend.Environment) { ["X"] = "1" } } });
        Assert.NotEqual(a, b with { Backend = b.Backend with { ListenerPort = 81 } });
    }
}
