using System.Diagnostics;

namespace Portal.Benchmarks.Running;

/// <summary>A command line built beside the benchmark (Portal.Infra's, or the benchmark's own), run as a process of its own.</summary>
internal static class DotnetProcess
{
    /// <summary>
    /// Runs <c>dotnet &lt;<paramref name="assembly"/>&gt;.dll</c> with <paramref name="arguments"/> and returns what it printed;
    /// throws with its errors when it fails.
    /// </summary>
    public static async Task<string> RunAsync(string assembly, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{assembly} {string.Join(' ', start.ArgumentList.Skip(1))} exited with {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
