using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Jobs.Data;

/// <summary>Where the database lives and how every connection to it is set up.</summary>
public static class PortalDatabase
{
    /// <summary>Configuration key of the data folder (default <c>data</c>, relative to the working directory).</summary>
    public const string DataDirKey = "Portal:DataDir";

    public const string FileName = "portal.db";

    /// <summary>How long a writer waits for another to finish before failing with "database is locked".</summary>
    private const int BusyTimeoutSeconds = 30;

    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration[DataDirKey] is { Length: > 0 } dir ? dir : "data");

    public static string ConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, FileName),
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();

    internal static void Configure(DbContextOptionsBuilder options, string dataDirectory) =>
        options.UseSqlite(ConnectionString(dataDirectory)).AddInterceptors(BusyTimeout.Instance);

    /// <summary>
    /// Creates the data folder if missing, switches the file to WAL (readers never block the writer; the setting
    /// persists in the file) and applies pending migrations. Safe to run from the web host and a worker at once.
    /// </summary>
    public static async Task MigratePortalDbAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<PortalDb>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
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
