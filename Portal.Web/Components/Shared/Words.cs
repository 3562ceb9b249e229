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

    /// <summary>"45 s", "3 min 52 s", "1 h 05 min": a duration to the second, or the minute past an hour.</summary>
    public static string Duration(TimeSpan duration) =>
        duration.TotalHours >= 1 ? $"{(int)duration.TotalHours} h {duration.Minutes:00} min"
        : duration.TotalMinutes >= 1 ? $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s"
        : $"{Math.Max(0, duration.Seconds)} s";

    /// <summary>
    /// A prediction, no more precise than it is: "a few seconds", "about 40 s" (to 10 s), "about 3 min", "about 1 h 10 min".
    /// </summary>
    public static string About(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 10 } => "a few seconds",
        { TotalSeconds: < 55 } => $"about {Math.Round(duration.TotalSeconds / 10) * 10:0} s",
        { TotalMinutes: < 59.5 } => $"about {Math.Max(1, Math.Round(duration.TotalMinutes)):0} min",
        _ => $"about {(int)Math.Round(duration.TotalMinutes) / 60} h {(int)Math.Round(duration.TotalMinutes) % 60:00} min",
    };

    /// <summary>The exact time, in UTC: the server does not know the reader's time zone.</summary>
    public static string Exact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
}
