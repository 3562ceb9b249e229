using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Jobs.Data;

namespace Portal.Jobs.StackEvents;

/// <summary>
/// On PostgreSQL, this process's one LISTEN connection on <see cref="PostgresPortalDb.LiveChannel"/>: each NOTIFY another
/// process sent with its events or status change (<see cref="PortalDb.AnnounceAsync"/>) is published on the
/// <see cref="StackEventFeed"/>, so live views here wake at once instead of at their next catch-up. A lost connection
/// is opened again with backoff (1 s doubling to 30 s); meanwhile the views' catch-up still delivers, only later.
/// Its own process's notices come back too: views then read once more and find nothing new.
/// </summary>
public sealed class LiveNotificationListener(string connectionString, StackEventFeed feed, ILogger<LiveNotificationListener> logger)
    : BackgroundService
{
    /// <summary>The listener's connection in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "portal-live-events";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>An idle connection is checked this often, so one a network failure cut silently is noticed and replaced.</summary>
    private static readonly TimeSpan PingAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not pooled: a pool would reset (UNLISTEN) the connection when it is closed, and it is never shared.
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = ApplicationName }.ConnectionString;
        var retry = FirstRetry;
        while (true)
        {
            try
            {
                await ListenAsync(connection, () => retry = FirstRetry, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong (server restarted, network cut), live views must not take the host down with them.
                logger.LogWarning(e, "Listening for live events lost its connection; trying again in {Delay}", retry);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private async Task ListenAsync(string connectionString, Action connected, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, e) => feed.Publish(e.Payload);
        await connection.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresPortalDb.LiveChannel}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken);
        connected();
        while (true)
        {
            if (await connection.WaitAsync(PingAfter, cancellationToken)) continue;
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
        }
    }
}
