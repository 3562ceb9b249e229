using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Jobs.Data;

/// <summary>The portal on SQLite (the default): one file, migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqlitePortalDb(DbContextOptions<SqlitePortalDb> options) : PortalDb(options)
{
    /// <summary>Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken before the first read.</summary>
    protected override Task<IDbContextTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        Database.BeginTransactionAsync(cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestampConverter>();
    }
}
