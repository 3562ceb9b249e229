using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Jobs.Data;

/// <summary>
/// For <c>dotnet ef migrations add &lt;Name&gt; --project Portal.Jobs --output-dir Data/Migrations</c>
/// (it never connects; the path is only for commands such as <c>dotnet ef database update</c>).
/// </summary>
internal sealed class DesignTimePortalDbFactory : IDesignTimeDbContextFactory<PortalDb>
{
    public PortalDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDb>();
        PortalDatabase.Configure(options, Path.GetFullPath("data"));
        return new PortalDb(options.Options);
    }
}
