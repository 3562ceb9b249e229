using System.Text;

namespace Portal.Web.Components.Shared;

/// <summary>How pages write enum values and times for people.</summary>
public static class Words
{
    /// <summary>"AwaitingApproval" → "Awaiting approval".</summary>
    public static string Of(Enum value)
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>"just now", "5 min ago", "3 h ago", "2 days ago" relative to <paramref name="now"/>.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)age.TotalHours} h ago",
            { TotalDays: < 2 } => "yesterday",
            _ => $"{(int)age.TotalDays} days ago",
        };
    }

    /// <summary>The exact time, in UTC: the server does not know the reader's time zone.</summary>
    public static string Exact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
}
