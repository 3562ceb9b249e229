using Portal.Jobs.Data;

namespace Portal.Tests.Postgres;

/// <summary>
/// The database engine of the host-based tests: SQLite in the data folder (default), or, with
/// <c>PORTAL_TEST_DATABASE=Postgres</c> (scripts/test.sh's second pass), a database of each host's own on one
/// PostgreSQL cluster that the test process starts once and stops when it exits. Those databases come migrated
/// (<see cref="PostgresServer.CreateMigratedDatabaseAsync"/>), as SQLite's new file is after a host's first start.
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgres { get; } = System.Environment.GetEnvironmentVariable("PORTAL_TEST_DATABASE") is "Postgres";

    /// <summary>Where a host's PostgreSQL connection string goes (what <c>GetConnectionString("Portal")</c> reads).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Portal";

    private static readonly Lazy<Task<PostgresServer>> Server = new(StartServerAsync);

    /// <summary>
    /// The configuration a host adds to use its engine: nothing for SQLite, a fresh PostgreSQL database otherwise,
    /// migrated unless <paramref name="empty"/> (for a test of the migrations themselves).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> SettingsAsync(bool empty = false)
    {
        if (!IsPostgres) return new Dictionary<string, string>();
        var server = await Server.Value;
        return new Dictionary<string, string>
        {
            [DatabaseConfiguration.ProviderKey] = nameof(DatabaseProvider.Postgres),
            [ConnectionStringKey] = empty ? await server.CreateDatabaseAsync() : await server.CreateMigratedDatabaseAsync(),
        };
    }

    /// <summary><see cref="SettingsAsync"/> as a configuration builder takes them.</summary>
    public static async Task<IEnumerable<KeyValuePair<string, string?>>> ConfigurationAsync() =>
        (await SettingsAsync()).Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value));

    private static async Task<PostgresServer> StartServerAsync()
    {
        if (PostgresServer.Missing is { } missing) throw new InvalidOperationException(missing);
        var server = new PostgresServer();
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
