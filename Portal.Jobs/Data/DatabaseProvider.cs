namespace Portal.Jobs.Data;

/// <summary>The database engines the portal runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>One file under <c>Portal:DataDir</c>: one machine (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several web instances and workers.</summary>
    Postgres,
}
