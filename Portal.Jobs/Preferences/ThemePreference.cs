using Portal.Jobs.Workflow;

namespace Portal.Jobs.Preferences;

/// <summary>Which colours a person reads the portal in.</summary>
public enum ThemeChoice
{
    /// <summary>Whatever the person's system prefers (<c>prefers-color-scheme</c>), following it when it changes.</summary>
    System,
    Light,
    Dark,
}

/// <summary>A person's theme, kept by their key (issuer and subject), so it follows them from browser to browser.</summary>
public sealed class ThemePreference
{
    private ThemePreference()
    {
    }

    public ThemePreference(PersonId person, ThemeChoice theme, DateTimeOffset at)
    {
        Person = person;
        Theme = theme;
        ChangedAt = at;
    }

    public PersonId Person { get; private set; } = null!;

    public ThemeChoice Theme { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    public void Change(ThemeChoice theme, DateTimeOffset at)
    {
        Theme = theme;
        ChangedAt = at;
    }
}
