using Microsoft.Data.Sqlite;
using Portal.Jobs.Hosting;

namespace Portal.Tests.Faults;

/// <summary>
/// The jobs a killed portal left "processing" in Hangfire's SQLite storage. Hangfire.Storage.SQLite hands them out again
/// only after its invisibility timeout (30 minutes); this makes them visible now, as if that time had passed.
/// </summary>
internal static class HangfireOrphans
{
    /// <summary>
    /// Puts every fetched queue entry back (FetchedAt 0 is "enqueued" in this storage) and waits until the running portal
    /// has run them; returns how many.
    /// </summary>
    public static async Task<int> RunAgainAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, JobsHosting.HangfireFileName),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync();
        var released = await ExecuteAsync(connection, "UPDATE JobQueue SET FetchedAt = 0 WHERE FetchedAt > 0");
        await Poll.UntilAsync(async () => await CountAsync(connection, "SELECT COUNT(*) FROM JobQueue") == 0,
            "the released jobs to run again");
        return released;
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
