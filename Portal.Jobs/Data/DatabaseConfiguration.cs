using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Jobs.Data;

/// <summary>Which database the portal uses, where it lives and how every connection to it is set up.</summary>
public static class DatabaseConfiguration
{
    /// <summary>Configuration key of the data folder (default <c>data</c>, relative to the working directory).</summary>
    public const string DataDirKey = "Portal:DataDir";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public const string ProviderKey = "Database:Provider";

    /// <summary>The PostgreSQL connection string: <c>ConnectionStrings:Portal</c>, or else this key.</summary>
    public const string ConnectionStringKey = "Database:ConnectionString";

    public const string FileName = "portal.db";

    /// <summary>How long a writer waits for another to finish before failing with "database is locked".</summary>
    private const int BusyTimeoutSeconds = 30;

    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration[DataDirKey] is { Length: > 0 } dir ? dir : "data");

    public static DatabaseProvider Provider(IConfiguration configuration) => configuration[ProviderKey] switch
    {
        null or "" => DatabaseProvider.Sqlite,
        var name when Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider) && !int.TryParse(name, out _) => provider,
        var name => throw new InvalidOperationException($"{ProviderKey}: must be Sqlite or Postgres, got '{name}'."),
    };

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Portal") is { Length: > 0 } connectionString ? connectionString
        : configuration[ConnectionStringKey] is { Length: > 0 } fallback ? fallback
        : throw new InvalidOperationException(
            $"{ProviderKey} is Postgres: set ConnectionStrings:Portal (or {ConnectionStringKey}) to the server's connection string.");

    public static string ConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, FileName),
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();

    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string dataDirectory) =>
        options.UseSqlite(ConnectionString(dataDirectory)).AddInterceptors(BusyTimeout.Instance);

    internal static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);

    /// <summary>
    /// Brings the database up to date; safe to run from every web host and worker at once. SQLite: creates the data
    /// folder if missing and switches the file to WAL (readers never block the writer; the setting persists in the
    /// file). PostgreSQL: one instance migrates while the others wait on an advisory lock, then find nothing to do.
    /// </summary>
    public static async Task MigratePortalDbAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<PortalDb>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db is PostgresPortalDb)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({PostgresPortalDb.MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresPortalDb.MigrationLockKey})", CancellationToken.None);
            }
            return;
        }

        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>SQLite's own busy handler on every connection, so a locked database is waited for inside SQLite too.</summary>
    private sealed class BusyTimeout : DbConnectionInterceptor
    {
        public static readonly BusyTimeout Instance = new();

        private static readonly string Pragma = $"PRAGMA busy_timeout={BusyTimeoutSeconds * 1000};";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(
            DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
