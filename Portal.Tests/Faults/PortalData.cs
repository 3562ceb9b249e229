using Microsoft.EntityFrameworkCore;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Jobs.Data;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Tests.Postgres;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Faults;

/// <summary>
/// Reads a portal's database directly, as it is stored (whatever process wrote it), from the settings the portal was
/// started with (<see cref="PortalHost.SettingsAsync"/>): its SQLite file, or its PostgreSQL database.
/// </summary>
internal static class PortalData
{
    public static PortalDb Open(IReadOnlyDictionary<string, string> settings) => IsPostgres(settings)
        ? new PostgresPortalDb(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql(settings[TestDatabase.ConnectionStringKey]).Options)
        : new SqlitePortalDb(new DbContextOptionsBuilder<SqlitePortalDb>()
            .UseSqlite(DatabaseConfiguration.ConnectionString(settings[DatabaseConfiguration.DataDirKey]) + ";Pooling=False").Options);

    public static bool IsPostgres(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue(DatabaseConfiguration.ProviderKey, out var provider) && provider == nameof(DatabaseProvider.Postgres);

    /// <summary>The environment's stored stack events, in the order they were stored.</summary>
    public static async Task<List<StackEvent>> StackEventsAsync(IReadOnlyDictionary<string, string> settings, string environment)
    {
        await using var db = Open(settings);
        return await db.StackEvents.AsNoTracking()
            .Where(e => db.Environments.Any(env => env.Id == e.EnvironmentId && env.Name == environment))
            .OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>The revision's status, or null while it does not exist.</summary>
    public static async Task<RevisionStatus?> StatusAsync(IReadOnlyDictionary<string, string> settings, string environment, int number)
    {
        await using var db = Open(settings);
        return await db.Revisions.AsNoTracking().Where(r => r.Environment.Name == environment && r.Number == number)
            .Select(r => (RevisionStatus?)r.Status).SingleOrDefaultAsync();
    }
}

/// <summary>The events a portal stored for an environment against those CloudFormation (the sandbox) raised for its stack.</summary>
public sealed record EventLedger(IReadOnlyList<string> Stored, IReadOnlyList<string> Raised)
{
    internal static async Task<EventLedger> ReadAsync(SandboxServer sandbox, string stackNameOrId, IReadOnlyDictionary<string, string> settings, string environment)
    {
        var raised = await sandbox.EventsAsync(stackNameOrId);
        var stored = await PortalData.StackEventsAsync(settings, environment);
        return new EventLedger([.. stored.Select(e => e.EventId)], [.. raised.Select(e => e.EventId)]);
    }

    /// <summary>Every raised event is stored, exactly once, and nothing else is.</summary>
    public void AssertEachEventStoredOnce()
    {
        Assert.Equal(Stored.Count, Stored.Distinct().Count());
        Assert.Equal(Raised.Order(), Stored.Order());
    }
}
