using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Jobs.Data;

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --project Portal.Jobs --context SqlitePortalDb --output-dir Data/Migrations/Sqlite</c>
/// (it never connects; the path is only for commands such as <c>dotnet ef database update</c>).
/// </summary>
internal sealed class DesignTimeSqlitePortalDbFactory : IDesignTimeDbContextFactory<SqlitePortalDb>
{
    public SqlitePortalDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqlitePortalDb>();
        DatabaseConfiguration.ConfigureSqlite(options, Path.GetFullPath("data"));
        return new SqlitePortalDb(options.Options);
    }
}

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --project Portal.Jobs --context PostgresPortalDb --output-dir Data/Migrations/Postgres</c>
/// (adding a migration never connects; <c>PORTAL_POSTGRES</c> names a server for <c>dotnet ef database update</c>).
/// </summary>
internal sealed class DesignTimePostgresPortalDbFactory : IDesignTimeDbContextFactory<PostgresPortalDb>
{
    public PostgresPortalDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDb>();
        DatabaseConfiguration.ConfigurePostgres(options,
            System.Environment.GetEnvironmentVariable("PORTAL_POSTGRES") ?? "Host=127.0.0.1;Database=portal;Username=portal");
        return new PostgresPortalDb(options.Options);
    }
}
