using System.Text;

namespace Portal.Infra.Stacks;

/// <summary>
/// A person's name as a tag value on the stack. The name comes from the identity provider, not from the form, so no
/// spec rule has seen it; it is made safe here instead of refused.
/// </summary>
public static class IdentityTag
{
    /// <summary>AWS's limit for a tag value, in Unicode characters.</summary>
    public const int MaxLength = 256;

    /// <summary>What a value may hold besides letters, digits and spaces: AWS's tag characters without '+'.</summary>
    private const string Punctuation = "_.:/=-@";

    /// <summary>
    /// <paramref name="identity"/> as a tag value: letters and digits of any script, single spaces and
    /// <c>_ . : / = - @</c>; any other character becomes '_'; at most <see cref="MaxLength"/> characters. Null when
    /// nothing is left. Such a value is a literal to CloudFormation and CDK: a dynamic reference needs '{', a string or
    /// list token '{' and '[', and a number token's text "e+289" the '+' that AWS would allow but this leaves out.
    /// </summary>
    public static string? Value(string? identity)
    {
        if (string.IsNullOrWhiteSpace(identity))
            return null;
        // Lone surrogates become U+FFFD first (Normalize refuses them); composed, "é" stays one letter.
        var text = string.Concat(identity.EnumerateRunes().Select(r => r.ToString())).Normalize(NormalizationForm.FormC);
        var value = new StringBuilder();
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (length == MaxLength)
                break;
            if (Rune.IsWhiteSpace(rune))
            {
                if (value.Length == 0 || value[^1] == ' ')
                    continue;
                value.Append(' ');
            }
            else if (Rune.IsLetterOrDigit(rune) || (rune.IsAscii && Punctuation.Contains((char)rune.Value)))
            {
                value.Append(rune.ToString());
            }
            else
            {
                value.Append('_');
            }
            length++;
        }
        var result = value.ToString().TrimEnd(' ');
        return result.Length == 0 ? null : result;
    }
}
