using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Jobs.Data;

namespace Portal.Tests.Support;

/// <summary>An in-memory portal host with its own settings (and services) and no job server.</summary>
internal sealed class ConfiguredHost(Dictionary<string, string> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly string _data = TempFolder.New("signin");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(DatabaseConfiguration.DataDirKey, _data);
        builder.UseSetting("Jobs:RunServer", "false");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
