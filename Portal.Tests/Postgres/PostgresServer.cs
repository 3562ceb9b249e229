using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Jobs.Data;
using Portal.Jobs.Hosting;

namespace Portal.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster on a free loopback port (data and sockets in a temp folder), started and removed by
/// <c>scripts/ensure-postgres.sh</c>, which also installs Debian's package when missing. Each test takes a database of
/// its own (<see cref="CreateDatabaseAsync"/>, or <see cref="CreateMigratedDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = TempFolder.New("pg");
    private readonly Lazy<Task<string>> _template;

    public PostgresServer() => _template = new(CreateTemplateAsync);

    /// <summary>The maintenance database's connection string (superuser <c>portal</c>, trust on loopback).</summary>
    public string ConnectionString { get; private set; } = default!;

    /// <summary>Why the PostgreSQL tests are skipped, or null when the server binaries are there.</summary>
    public static string? Missing { get; } = Installed() ? null
        : "PostgreSQL is not installed (no initdb/pg_ctl on PATH or under /usr/lib/postgresql): run scripts/ensure-postgres.sh (scripts/test.sh does).";

    public async Task InitializeAsync()
    {
        if (Missing is not null) return;
        ConnectionString = (await ScriptAsync("start", _directory, FreePort.Next().ToString())).Trim().Split('\n')[^1];
    }

    public async Task DisposeAsync()
    {
        if (Missing is not null) return;
        NpgsqlConnection.ClearAllPools();
        await ScriptAsync("stop", _directory);
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => CreateAsync(template: null);

    /// <summary>
    /// A new database with the portal's tables and Hangfire's, as a host's start-up migration leaves them; returns its
    /// connection string. A copy of a template migrated once per cluster: migrating each test's database from nothing
    /// cost seconds of CPU per host, worker and fixture, and the copy takes milliseconds.
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync() => await CreateAsync(await _template.Value);

    private async Task<string> CreateAsync(string? template)
    {
        var name = "portal_" + Guid.NewGuid().ToString("n")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{(template is null ? "" : $" TEMPLATE {template}")}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Hundreds of tests each get a database, and so a pool, of their own: idle connections go after 10 s, not
        // Npgsql's 5 minutes, or the pools of finished tests fill the server's max_connections.
        return new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Database = name,
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 2,
        }.ToString();
    }

    /// <summary>Migrates a database to copy from; returns its name. PostgreSQL copies only a database nobody is connected
    /// to, so nothing here is pooled.</summary>
    private async Task<string> CreateTemplateAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(await CreateAsync(template: null)) { Pooling = false };
        await using (var db = new PostgresPortalDb(new DbContextOptionsBuilder<PostgresPortalDb>().UseNpgsql(database.ToString()).Options))
        {
            await db.Database.MigrateAsync();
        }
        await using (var connection = new NpgsqlConnection(database.ToString()))
        {
            await connection.OpenAsync();
            PostgreSqlObjectsInstaller.Install(connection, HangfireStorage.Schema);
        }
        return database.Database!;
    }

    private static bool Installed() =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "pg_ctl")))
        || (Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "pg_ctl", SearchOption.AllDirectories).Any());

    private static Task<string> ScriptAsync(params string[] arguments) =>
        ChildProcess.RunAsync("bash", [Path.Combine(Checkout.Root, "scripts", "ensure-postgres.sh"), .. arguments]);
}

/// <summary>A test that needs a PostgreSQL server: skipped, saying why, only when PostgreSQL is not installed.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Missing is { } reason) Skip = reason;
    }
}

/// <summary>
/// The tests that share one PostgreSQL cluster (each on a database of its own). They start two web and two worker
/// processes, so they run alone, after the parallel collections: beside them a 2-core machine served a page in over 30 s.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
