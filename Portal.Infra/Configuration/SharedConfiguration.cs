using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Portal.Infra.Configuration;

public static class SharedConfiguration
{
    /// <summary>The root appsettings.json, copied beside every host's binaries under this name.</summary>
    public const string FileName = "portal.appsettings.json";

    /// <summary>
    /// Puts the repository's shared appsettings.json first, so a host's own files, environment variables
    /// (<c>Targets__dev__Kind=Aws</c>) and arguments all override it, as .NET configuration layers do.
    /// </summary>
    public static IConfigurationBuilder AddPortalDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = FileName,
            Optional = false,
        });
        return configuration;
    }
}
