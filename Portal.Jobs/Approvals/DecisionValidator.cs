using System.Buffers;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Approvals;

/// <summary>
/// What a decision's comment may be: prose for people, at most <see cref="MaxCommentLength"/> characters, with line
/// breaks and tabs but no other control characters (they hide text and garble logs and terminals) and no
/// bidirectional controls (they make a comment read otherwise than it is stored). Required to reject.
/// </summary>
public static class DecisionValidator
{
    public const int MaxCommentLength = 2000;

    public static IReadOnlyList<FieldError> Validate(ApproveRevision command) => Comment(command.Comment, required: false);

    public static IReadOnlyList<FieldError> Validate(RejectRevision command) => Comment(command.Comment, required: true);

    private static IReadOnlyList<FieldError> Comment(string? comment, bool required)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return required ? [new FieldError("comment", "a rejection needs a reason")] : [];
        }
        if (comment.Length > MaxCommentLength)
        {
            return [new FieldError("comment", $"the comment is {comment.Length:N0} characters long; at most {MaxCommentLength:N0} are allowed")];
        }
        var bad = FirstForbidden(comment);
        return bad < 0
            ? []
            : [new FieldError("comment", $"the comment contains the character U+{(int)comment[bad]:X4} at position {bad + 1}; " +
                                         "use text, line breaks and tabs only")];
    }

    /// <summary>The index of the first forbidden character or of a surrogate without its pair (not text at all), or -1.</summary>
    private static int FirstForbidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]) || Forbidden.Contains(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// C0 and C1 controls except tab, line feed and carriage return; DEL; the bidirectional embeddings, overrides and
    /// isolates that reorder what follows (the marks right-to-left writing needs stay allowed).
    /// </summary>
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
    [
        .. Enumerable.Range(0, 32).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c),
        .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c),
        '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
    ]);
}
