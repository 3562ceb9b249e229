using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Jobs.Data;
using Portal.Jobs.StackEvents;
using Portal.Tests.Postgres;

namespace Portal.Tests.Hosting;

/// <summary>The PostgreSQL listener that wakes a web process's live views when another process stored events.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
[Trait(Lanes.Database, Lanes.Stored)]
public sealed class LiveNotificationListenerTests
{
    [PostgresPassFact]
    public async Task NoticesFromAnotherConnectionReachTheFeedAndKeepComingAfterTheListenersConnectionIsCut()
    {
        var connectionString = (await TestDatabase.SettingsAsync())[TestDatabase.ConnectionStringKey];
        var feed = new StackEventFeed();
        var heard = new ConcurrentQueue<string>();
        feed.Changed += heard.Enqueue;
        using var listener = new LiveNotificationListener(connectionString, feed, NullLogger<LiveNotificationListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await using var other = new NpgsqlConnection(connectionString);
            await other.OpenAsync();
            await NotifyUntilHeardAsync(other, heard, "orders-dev");

            // The server drops the listener's connection (a restart, a failover, a network cut).
            await using (var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", other))
            {
                terminate.Parameters.AddWithValue("name", LiveNotificationListener.ApplicationName);
                Assert.Equal(1L, await terminate.ExecuteScalarAsync());
            }

            await NotifyUntilHeardAsync(other, heard, "orders-prod");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Sends the notice a job sends, again and again (the listener may be connecting), until the feed raised it.</summary>
    private static Task NotifyUntilHeardAsync(NpgsqlConnection connection, ConcurrentQueue<string> heard, string environment) =>
        Poll.UntilAsync(async () =>
        {
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @environment)", connection);
            notify.Parameters.AddWithValue("channel", PostgresPortalDb.LiveChannel);
            notify.Parameters.AddWithValue("environment", environment);
            await notify.ExecuteNonQueryAsync();
            return heard.Contains(environment);
        }, $"the feed to announce {environment}", seconds: 60);
}
