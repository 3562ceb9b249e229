using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Data;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Preferences;

/// <summary>Reads and keeps a person's theme (one row per person who chose one; everyone else follows their system).</summary>
public sealed class ThemePreferences(IDbContextFactory<PortalDb> databases, TimeProvider time)
{
    public async Task<ThemeChoice> GetAsync(PersonId person, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.ThemePreferences.Where(p => p.Person == person).Select(p => (ThemeChoice?)p.Theme).SingleOrDefaultAsync(cancellationToken)
            ?? ThemeChoice.System;
    }

    public async Task SetAsync(PersonId person, ThemeChoice theme, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(theme))
            throw WorkflowException.Invalid([new FieldError("theme", $"'{theme}' is not a theme: System, Light or Dark")]);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.WriteAsync(async () =>
        {
            var existing = await db.ThemePreferences.SingleOrDefaultAsync(p => p.Person == person, cancellationToken);
            if (existing is null)
                db.ThemePreferences.Add(new ThemePreference(person, theme, time.GetUtcNow()));
            else
                existing.Change(theme, time.GetUtcNow());
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }
}
