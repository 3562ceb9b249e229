using System.Diagnostics;
using Portal.Infra.Synthesis;
using Portal.Tests.Environments;

namespace Portal.Tests.Synthesis;

/// <summary>jsii's temp files (aws/jsii#700): gone when a synthesizing process exits, swept when it was killed.</summary>
[Trait(Lanes.Category, Lanes.Faults)]
// SqliteOnly: jsii's temp folders; nothing is stored.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class JsiiTempFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("portal-jsii-test-").FullName;
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task ASynthProcessLeavesNoJsiiFoldersInTheTempDirectoryWhenItExits()
    {
        var tmp = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        var outDir = Path.Combine(_root, "out");
        var start = ChildProcess.Dotnet(Checkout.Assembly("Portal.Infra"), new Dictionary<string, string> { ["TMPDIR"] = tmp });
        foreach (var arg in new[] { "synth", "--spec", SpecSamples.Path(SpecSamples.OrdersDev), "--out", outDir })
            start.ArgumentList.Add(arg);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await ChildProcess.RunAsync(start, deadline.Token);

        Assert.True(File.Exists(Path.Combine(outDir, "portal-orders-dev.template.json")));
        // jsii's tarball and runtime folders, Node's jsii-kernel-* folder and the synth output folder all went.
        Assert.Empty(Directory.GetDirectories(tmp));
    }

    [Fact]
    public async Task AFolderMarkedByADeadProcessIsSweptAndFoldersOfLiveOnesAreKept()
    {
        var dead = Folder("dead");
        await MarkByProcessThatDiesAsync(dead);
        var live = Folder("live");
        JsiiTempFolder.Mark(live, System.Environment.ProcessId);
        // Owner killed, but its Node runtime (here: any process naming the folder) still runs: not yet.
        var inUse = Folder("in-use");
        await MarkByProcessThatDiesAsync(inUse);
        File.WriteAllText(Path.Combine(inUse, "log"), "");
        Start("tail", "-f", Path.Combine(inUse, "log"));
        var unmarked = Folder("unmarked");

        JsiiTempFolder.Sweep(_root);

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(inUse));
        Assert.True(Directory.Exists(unmarked));
    }

    private string Folder(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, JsiiTempFolder.Prefix + name)).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "jsii-kernel-test"));
        return folder;
    }

    /// <summary>Marks the folder as owned by a live process, then kills it (SIGKILL) and waits until it is gone.</summary>
    private async Task MarkByProcessThatDiesAsync(string folder)
    {
        var owner = Start("sleep", "60");
        JsiiTempFolder.Mark(folder, owner.Id);
        owner.Kill();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await owner.WaitForExitAsync(deadline.Token);
    }

    private Process Start(string file, params string[] args)
    {
        var process = Process.Start(file, args);
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
                process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
        Directory.Delete(_root, recursive: true);
    }
}
