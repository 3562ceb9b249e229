using Microsoft.AspNetCore.DataProtection;
using Portal.Jobs.Data;

namespace Portal.Web.Hosting;

/// <summary>
/// The keys that protect sign-in cookies and antiforgery tokens live in the portal's database, so every web instance
/// behind a load balancer reads what another wrote, and a restarted container does not sign everyone out.
/// </summary>
public static class DataProtectionHosting
{
    /// <summary>One name for every instance: by default keys are isolated per content root path.</summary>
    public const string ApplicationName = "Portal";

    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PortalDb>();
        return builder;
    }
}
