using System.Diagnostics;
using System.Text;

namespace Portal.Tests.Support;

/// <summary>
/// A process started by a test, or by a benchmark (Portal.Benchmarks links this file): what it writes is kept for a
/// failure message, or handed line by line to whoever watches, and disposing kills it with its children (jsii's node)
/// whatever state it is in, exactly as a crash would.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Action<string>? _lines;
    private readonly StringBuilder? _output;

    private ChildProcess(Process process, Action<string>? lines, bool keepOutput)
    {
        _process = process;
        _lines = lines;
        _output = keepOutput ? new StringBuilder() : null;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process wrote so far (empty when it was not kept).</summary>
    public string Output
    {
        get
        {
            if (_output is null) return "";
            lock (_output) return _output.ToString();
        }
    }

    /// <param name="lines">Told every line the process writes, as it writes it.</param>
    /// <param name="keepOutput">Keep the lines in <see cref="Output"/>; a long run that logs elsewhere does not.</param>
    public static ChildProcess Start(ProcessStartInfo start, Action<string>? lines = null, bool keepOutput = true)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"), lines, keepOutput);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// <c>dotnet <paramref name="assembly"/></c>, a portal program, in the assembly's folder (its content root), with
    /// <paramref name="settings"/> as environment variables (<c>Targets:sandbox:Kind</c> → <c>Targets__sandbox__Kind</c>),
    /// dummy AWS credentials and no instance metadata: nothing may reach AWS, even by accident.
    /// </summary>
    public static ProcessStartInfo Dotnet(string assembly, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.ArgumentList.Add(assembly);
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDTESTTESTTESTTEST";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        start.Environment["AWS_REGION"] = "us-east-1";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        return start;
    }

    /// <summary>Runs <paramref name="file"/> to its end; returns its standard output, or throws with its errors when it fails.</summary>
    public static Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return RunAsync(start);
    }

    /// <inheritdoc cref="RunAsync(string, string[])"/>
    public static async Task<string> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken = default)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}{await errors}");
        return await output;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL to the process and its children; returns once it is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        _lines?.Invoke(line);
        if (_output is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
