using Microsoft.Extensions.Hosting;
using Portal.Infra;
using Portal.Infra.Configuration;

namespace Portal.Jobs;

/// <summary>
/// The worker host: runs the portal's jobs against the same database as the web host. A Sandbox target (development
/// settings) is served by the web host, so point the worker at it:
/// <c>Targets__sandbox__ServiceUrl=http://127.0.0.1:5000/sandbox/cloudformation</c>.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddPortalDefaults(builder.Environment.EnvironmentName);
        builder.Services.AddPortalInfra(builder.Configuration);
        builder.Services.AddPortalWorkflow(builder.Configuration);
        builder.Services.AddPortalJobs(builder.Configuration);
        await builder.Build().RunAsync();
    }
}
