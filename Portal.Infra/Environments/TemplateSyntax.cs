using System.Text.RegularExpressions;

namespace Portal.Infra.Environments;

/// <summary>
/// Text that reaches a template as something other than itself. CloudFormation replaces a dynamic reference
/// (<c>{{resolve:secretsmanager:…}}</c>) with the value it reads using its own role, wherever the reference stands;
/// CDK's synthesis replaces a token's encoding with whatever the token stands for (a <c>Fn::GetAtt</c> of another
/// resource, say). Every string of a spec and every identity must be free of both before it meets the stack.
/// </summary>
/// <remarks>
/// The patterns are supersets of what the two read, so that a near miss is refused rather than passed:
/// <list type="bullet">
/// <item>CloudFormation: <c>{{resolve:</c>; here <c>{{</c>, any white space, <c>resolve</c>, in any case, with or
/// without the colon (so no separator the portal adds between two values can complete one).</item>
/// <item>CDK 2.160 (<c>core/lib/private/encoding.ts</c>): a string token <c>${Token[KEY]}</c> and a list token
/// <c>#{Token[KEY]}</c> (KEY of <c>a-zA-Z0-9:._-</c>), and a number token's decimal form <c>-1\.\d{10,16}e\+289</c>
/// anywhere in a string (what <c>Token.isUnresolved</c> and <c>TokenString</c> recognise); here any begin marker in any
/// case, and any number of digits.</item>
/// </list>
/// None of the patterns holds ':' or '/', so text the portal joins with them (an ARN and its JSON key, a URL) holds
/// one only if a part does.
/// </remarks>
public static partial class TemplateSyntax
{
    /// <summary>What makes <paramref name="text"/> more than a literal, for a message ("a CloudFormation dynamic reference (…)"); null for a literal.</summary>
    public static string? Describe(string text)
    {
        if (DynamicReference().IsMatch(text))
            return "a CloudFormation dynamic reference (\"{{resolve:\"), which CloudFormation replaces with the value it reads using its own permissions";
        if (TokenMarker().IsMatch(text))
            return "a CDK token (\"${Token[\", \"#{Token[\" or an encoded number such as -1.888…e+289), which synthesis replaces with a reference to another resource";
        return null;
    }

    /// <summary>Whether <paramref name="text"/> is a literal to both CloudFormation and CDK.</summary>
    public static bool IsLiteral(string text) => Describe(text) is null;

    [GeneratedRegex(@"\{\{\s*resolve", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DynamicReference();

    [GeneratedRegex(@"[$#]\{Token\[|-1\.[0-9]+e\+289", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenMarker();
}
