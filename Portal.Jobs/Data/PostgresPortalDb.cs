using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Jobs.Data;

/// <summary>The portal on PostgreSQL (several web instances and workers): migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresPortalDb(DbContextOptions<PostgresPortalDb> options) : PortalDb(options)
{
    /// <summary>Advisory lock keys of the portal (any fixed numbers no other application on the database uses).</summary>
    internal const long WriteLockKey = 0x506F7274616C01, MigrationLockKey = 0x506F7274616C02;

    /// <summary>The one NOTIFY channel of live events; the payload is the environment's name.</summary>
    public const string LiveChannel = "portal_live";

    /// <summary>pg_notify: delivered to every LISTEN connection when the surrounding transaction commits.</summary>
    public override async Task AnnounceAsync(string environment, CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_notify({LiveChannel}, {environment})", cancellationToken);

    /// <summary>
    /// The same one-writer-at-a-time rule as SQLite's BEGIN IMMEDIATE, across every process: a transaction-scoped
    /// advisory lock taken before the first read, released by commit or rollback. Each statement after it reads
    /// everything committed before the lock was granted (READ COMMITTED), so commands stay serializable without
    /// serialization failures to retry. Writers wait up to the command timeout (30 s), like SQLite's busy timeout.
    /// </summary>
    protected override async Task<IDbContextTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz sorts natively but Npgsql only writes offset 0: normalise whatever offset the domain carries.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtc>();
    }

    private sealed class ToUtc() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
