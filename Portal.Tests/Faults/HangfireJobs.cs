using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;
using Portal.Tests.Postgres;

namespace Portal.Tests.Faults;

/// <summary>A portal's Hangfire storage (SQLite beside its database, or the <c>hangfire</c> schema on PostgreSQL), read and nudged directly.</summary>
internal static class HangfireJobs
{
    /// <summary>
    /// The jobs a killed portal left "processing": the storage hands them out again only after its invisibility timeout
    /// (30 minutes on SQLite, 5 on PostgreSQL). This puts every fetched queue entry back now, as if that time had passed,
    /// and waits until the running portal has run them; returns how many.
    /// </summary>
    public static async Task<int> RunOrphansAgainAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var connection = await OpenAsync(settings);
        // FetchedAt 0 is "enqueued" in Hangfire.Storage.SQLite; NULL in Hangfire.PostgreSql.
        var released = await ExecuteAsync(connection, PortalData.IsPostgres(settings)
            ? $"UPDATE {HangfireStorage.Schema}.jobqueue SET fetchedat = NULL WHERE fetchedat IS NOT NULL"
            : "UPDATE JobQueue SET FetchedAt = 0 WHERE FetchedAt > 0");
        var queue = PortalData.IsPostgres(settings) ? $"{HangfireStorage.Schema}.jobqueue" : "JobQueue";
        await Poll.UntilAsync(async () => await CountAsync(connection, $"SELECT COUNT(*) FROM {queue}") == 0,
            "the released jobs to run again");
        return released;
    }

    /// <summary>How often Hangfire scheduled a job again after it threw (its automatic retries).</summary>
    public static async Task<long> RetriesAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var connection = await OpenAsync(settings);
        var state = PortalData.IsPostgres(settings) ? $"{HangfireStorage.Schema}.state" : "State";
        return await CountAsync(connection, $"SELECT COUNT(*) FROM {state} WHERE Name = 'Scheduled'");
    }

    private static async Task<DbConnection> OpenAsync(IReadOnlyDictionary<string, string> settings)
    {
        DbConnection connection = PortalData.IsPostgres(settings)
            ? new NpgsqlConnection(settings[TestDatabase.ConnectionStringKey])
            : new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(settings[DatabaseConfiguration.DataDirKey], HangfireStorage.FileName),
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
