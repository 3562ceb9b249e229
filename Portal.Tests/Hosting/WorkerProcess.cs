using System.Diagnostics;
using System.Text;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Faults;

namespace Portal.Tests.Hosting;

/// <summary>The Portal.Jobs worker built beside this test assembly, in an OS process of its own; settings go in as environment variables.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>What the worker wrote, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var assembly = Checkout.Assembly("Portal.Jobs");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        // Nothing may reach AWS, even by accident.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDTESTTESTTESTTEST";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Jobs__RunServer"] = "true";

        var worker = new WorkerProcess(Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>
    /// Waits until the worker's Hangfire server is registered in the storage <paramref name="web"/> shares with it: it has
    /// migrated and set up its storage, and takes jobs. Submitting earlier races its start-up writes to the same database.
    /// </summary>
    public Task ServingAsync(SeparateHost web) => Poll.UntilAsync(
        () => Task.FromResult(web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Count > 0),
        $"the worker to start taking jobs\n{Output}");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
