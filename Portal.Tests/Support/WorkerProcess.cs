using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Support;

/// <summary>The Portal.Jobs worker built beside this test assembly, in an OS process of its own; settings go in as environment variables.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly ChildProcess _process;

    private WorkerProcess(ChildProcess process) => _process = process;

    /// <summary>What the worker wrote, for a failure message.</summary>
    public string Output => _process.Output;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var start = ChildProcess.Dotnet(Checkout.Assembly("Portal.Jobs"), settings);
        start.Environment.TryAdd("Logging__LogLevel__Default", "Warning");
        start.Environment["Jobs__RunServer"] = "true";
        return new WorkerProcess(ChildProcess.Start(start));
    }

    /// <summary>
    /// Waits until the worker's Hangfire server is registered in the storage <paramref name="web"/> shares with it: it has
    /// migrated and set up its storage, and takes jobs. Submitting earlier races its start-up writes to the same database.
    /// </summary>
    public Task ServingAsync(PortalHost web) => Poll.UntilAsync(
        () => Task.FromResult(web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Count > 0),
        $"the worker to start taking jobs\n{Output}");

    public void Dispose() => _process.Dispose();
}
