using Microsoft.Data.Sqlite;
using Portal.Jobs.Hosting;

namespace Portal.Tests.Faults;

/// <summary>A portal's Hangfire storage (SQLite, beside its database), read and nudged directly.</summary>
internal static class HangfireJobs
{
    /// <summary>
    /// The jobs a killed portal left "processing": Hangfire.Storage.SQLite hands them out again only after its invisibility
    /// timeout (30 minutes). This puts every fetched queue entry back now, as if that time had passed (FetchedAt 0 is
    /// "enqueued" in this storage), and waits until the running portal has run them; returns how many.
    /// </summary>
    public static async Task<int> RunOrphansAgainAsync(string dataDirectory)
    {
        await using var connection = await OpenAsync(dataDirectory);
        var released = await ExecuteAsync(connection, "UPDATE JobQueue SET FetchedAt = 0 WHERE FetchedAt > 0");
        await Poll.UntilAsync(async () => await CountAsync(connection, "SELECT COUNT(*) FROM JobQueue") == 0,
            "the released jobs to run again");
        return released;
    }

    /// <summary>How often Hangfire scheduled a job again after it threw (its automatic retries).</summary>
    public static async Task<long> RetriesAsync(string dataDirectory)
    {
        await using var connection = await OpenAsync(dataDirectory);
        return await CountAsync(connection, "SELECT COUNT(*) FROM State WHERE Name = 'Scheduled'");
    }

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, JobsHosting.HangfireFileName),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
