using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Portal.Infra.Configuration;

public static class SharedConfiguration
{
    /// <summary>The root appsettings.json, copied beside every host's binaries under this name.</summary>
    public const string FileName = "portal.appsettings.json";

    /// <summary>
    /// The root appsettings.&lt;environment&gt;.json beside it: appsettings.Development.json carries the development tools
    /// (the sandbox target, development sign-in), so they exist only where the environment is Development.
    /// </summary>
    public static string EnvironmentFileName(string environmentName) => $"portal.appsettings.{environmentName}.json";

    /// <summary>
    /// The environment of a process without a host (the CLI): <c>DOTNET_ENVIRONMENT</c>, as a generic host reads it,
    /// else Production.
    /// </summary>
    public static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } name ? name : Microsoft.Extensions.Hosting.Environments.Production;

    /// <summary>
    /// Puts the repository's shared appsettings.json first, then its file for <paramref name="environmentName"/> (if any),
    /// so a host's own files, environment variables (<c>Targets__dev__Kind=Aws</c>) and arguments all override them, as
    /// .NET configuration layers do.
    /// </summary>
    public static IConfigurationBuilder AddPortalDefaults(this IConfigurationBuilder configuration, string environmentName)
    {
        configuration.Sources.Insert(0, Source(FileName, optional: false));
        configuration.Sources.Insert(1, Source(EnvironmentFileName(environmentName), optional: true));
        return configuration;
    }

    private static JsonConfigurationSource Source(string path, bool optional) => new()
    {
        FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        Path = path,
        Optional = optional,
    };
}
