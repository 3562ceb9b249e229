using Portal.Infra.Environments;
using Portal.Tests.Hostile;

namespace Portal.Tests.Environments;

[Trait(Lanes.Category, Lanes.Unit)]
public class TemplateSyntaxTests
{
    /// <summary>Dynamic references as CloudFormation reads them, and the near misses the check refuses as well.</summary>
    [Theory]
    [InlineData("{{resolve:secretsmanager:prod/db:SecretString:password}}")]
    [InlineData("{{resolve:ssm:/portal/db}}")]
    [InlineData("{{resolve:ssm-secure:/portal/db:1}}")]
    [InlineData("postgres://app:{{resolve:secretsmanager:db}}@db:5432")]
    [InlineData("{{RESOLVE:ssm:/x}}")]
    [InlineData("{{ resolve:ssm:/x}}")]
    [InlineData("{{\tresolve:ssm:/x}}")]
    [InlineData("{{\u00a0resolve:ssm:/x}}")]
    [InlineData("{{resolve")]
    public void ADynamicReferenceInAnyCaseOrSpacingIsNoLiteral(string text)
    {
        Assert.StartsWith("a CloudFormation dynamic reference", TemplateSyntax.Describe(text));
    }

    /// <summary>CDK 2.160's token encodings (core/lib/private/encoding.ts), anywhere in the text.</summary>
    [Theory]
    [InlineData("${Token[TOKEN.123]}")]
    [InlineData("${Token[PublicAlb.DNSName.57]}")]
    [InlineData("http://${Token[AWS.URLSuffix.3]}/x")]
    [InlineData("#{Token[TOKEN.42]}")]
    [InlineData("-1.8881545897087626e+289")]
    [InlineData("-1.888154589e+289")]
    [InlineData("port -1.8881545897087624e+289 open")]
    [InlineData("${token[TOKEN.1]}")]
    public void ACdkTokenEncodingIsNoLiteral(string text)
    {
        Assert.StartsWith("a CDK token", TemplateSyntax.Describe(text));
    }

    /// <summary>Text people write that only looks similar stays theirs: shell and template placeholders, numbers.</summary>
    [Theory]
    [InlineData("info")]
    [InlineData("${HOME}/data")]
    [InlineData("{{name}} says hello")]
    [InlineData("{resolve:x}")]
    [InlineData("#{x}")]
    [InlineData("$Token[1]")]
    [InlineData("1.8881545897087626e+289")]
    [InlineData("-1.5e+28")]
    [InlineData("")]
    public void TextThatOnlyLooksAlikeIsALiteral(string text)
    {
        Assert.True(TemplateSyntax.IsLiteral(text), TemplateSyntax.Describe(text));
    }

    [Fact]
    public void EveryStringOfTheHostileCorpusIsNoLiteral()
    {
        Assert.All(HostileCorpus.TemplateSyntaxStrings.Values, s => Assert.False(TemplateSyntax.IsLiteral(s.Text), s.Text));
    }
}
