using System.Text;
using Portal.Infra.Environments;
using Portal.Infra.Stacks;
using Portal.Tests.Hostile;

namespace Portal.Tests.Stacks;

/// <summary>A person's name from the identity provider becomes a requester tag that CloudFormation and CDK take as text.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public class IdentityTagTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("  Alice   Smith\t", "Alice Smith")]
    [InlineData("José Müller", "José Müller")]
    [InlineData("Jose\u0301", "José")]
    [InlineData("李小龙", "李小龙")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("https://idp.example.com/|42", "https://idp.example.com/_42")]
    [InlineData("{{resolve:secretsmanager:prod/db:SecretString:password}}", "__resolve:secretsmanager:prod/db:SecretString:password__")]
    [InlineData("${Token[TOKEN.123]}", "__Token_TOKEN.123__")]
    [InlineData("#{Token[TOKEN.42]}", "__Token_TOKEN.42__")]
    [InlineData("-1.8881545897087626e+289", "-1.8881545897087626e_289")]
    [InlineData("a\u0000b\u202Ec", "a_b_c")]
    public void ANameKeepsLettersDigitsSpacesAndTagPunctuation(string identity, string tag)
    {
        Assert.Equal(tag, IdentityTag.Value(identity));
    }

    [Fact]
    public void HalfASurrogatePairIsOneReplacedCharacter()
    {
        // Not an InlineData: attribute strings are stored as UTF-8, which cannot hold half a pair.
        Assert.Equal("_x", IdentityTag.Value("\ud800x"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public void NoNameIsNoTag(string? identity)
    {
        Assert.Null(IdentityTag.Value(identity));
    }

    [Fact]
    public void ALongNameIsCutTo256Characters()
    {
        Assert.Equal(new string('a', IdentityTag.MaxLength), IdentityTag.Value(new string('a', 1_000_000)));
        Assert.Equal(IdentityTag.MaxLength, IdentityTag.Value(string.Concat(Enumerable.Repeat("😀", 300)))!.EnumerateRunes().Count());
    }

    /// <summary>
    /// Whatever the name, the tag holds only AWS's tag characters (less '+'), fits AWS's limit and is a literal: every
    /// hostile string of the corpus, and 5,000 names made of the characters dynamic references and tokens are made of.
    /// </summary>
    [Fact]
    public void AnyNameBecomesALiteralTagOfAwsTagCharacters()
    {
        const string pieces = "{}[]$#+-.e0123456789:/=@_ Tokenresolv\t\n\u00a0\u202E\ud83d\ude00\ud800é漢";
        var random = new Random(289);
        var names = HostileCorpus.TemplateSyntaxStrings.Values.Select(s => s.Text)
            .Concat(HostileCorpus.HostileStrings.Values)
            .Concat(Enumerable.Range(0, 5000).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 60)).Select(_ => pieces[random.Next(pieces.Length)])])))
            .Concat(Enumerable.Range(0, 1000).Select(i => $"x{{{{resolve:ssm:{i}}}}}${{Token[TOKEN.{i}]}}-1.{i:D12}e+289"));

        Assert.All(names, name =>
        {
            if (IdentityTag.Value(name) is not { } tag) return;
            Assert.True(TemplateSyntax.IsLiteral(tag), tag);
            Assert.True(tag.EnumerateRunes().Count() <= IdentityTag.MaxLength, tag);
            Assert.All(tag.EnumerateRunes(), r => Assert.True(
                Rune.IsLetterOrDigit(r) || (r.IsAscii && " _.:/=-@".Contains((char)r.Value)), $"{tag} holds U+{r.Value:X4}"));
            Assert.DoesNotContain("+", tag);
            Assert.Equal(tag.Trim(), tag);
        });
    }
}
