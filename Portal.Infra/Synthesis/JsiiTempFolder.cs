namespace Portal.Infra.Synthesis;

/// <summary>
/// Keeps the jsii runtime's temp files in one folder owned by this process, and removes it. jsii (aws/jsii#700)
/// extracts the CDK package tarballs and its runtime bundle into random folders under the temp directory, and its
/// Node kernel unpacks the packages into a <c>jsii-kernel-*</c> folder; nothing removes them, so every process that
/// synthesizes leaves ~70 MB behind. The first synth therefore runs with TMPDIR pointing at
/// <c>portal-jsii-*</c> (marked with an owner file naming this process), so everything jsii creates lands in it;
/// the tarballs and bundle are dropped as soon as the Node kernel has loaded them, and the folder goes when the
/// process exits, once Node is gone. A folder whose owner died (SIGKILL) is swept by the next process that
/// synthesizes. Folders without a marker, and folders of a live owner or still used by a Node process, are never
/// touched. Linux only for the liveness checks (/proc); elsewhere the sweep keeps every folder.
/// While the first synth runs, the whole process sees that TMPDIR: whatever else it puts in the temp directory
/// meanwhile lands in the folder too, and goes with it at exit (jsii reads the temp path nowhere else).
/// </summary>
internal static class JsiiTempFolder
{
    public const string Prefix = "portal-jsii-";
    public const string OwnerFile = "owner";

    private static readonly TimeSpan NodeExitWait = TimeSpan.FromSeconds(10);
    private static string? _folder;

    /// <summary>
    /// Runs a jsii use with this process's own temp folder (where it may put its own scratch files). The first call
    /// creates the folder and runs with TMPDIR pointing at it, so the jsii runtime starts there. Callers serialize
    /// (the synth gate), so this needs no lock.
    /// </summary>
    public static T Run<T>(Func<string, T> use)
    {
        if (_folder is not null)
            return use(_folder);

        var root = Path.GetTempPath();
        Sweep(root);
        var folder = Create();
        var previous = System.Environment.GetEnvironmentVariable("TMPDIR");
        // Path.GetTempPath (the .NET extractor) and the Node child (os.tmpdir) both read TMPDIR; the child keeps it.
        System.Environment.SetEnvironmentVariable("TMPDIR", folder);
        try
        {
            return use(folder);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("TMPDIR", previous);
            _folder = folder;
            // Registered after jsii's own ProcessExit hook (which closes Node's stdin), so Node is already leaving.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveOnExit(folder);
            DropExtractedFiles(folder);
        }
    }

    /// <summary>Creates a marked folder owned by this process.</summary>
    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory(Prefix).FullName;
        Mark(folder, System.Environment.ProcessId);
        return folder;
    }

    /// <summary>Writes the owner marker (pid and start stamp) atomically, so a sweeper never reads half of it.</summary>
    internal static void Mark(string folder, int pid)
    {
        var temp = Path.Combine(folder, OwnerFile + ".tmp");
        File.WriteAllText(temp, $"{pid} {StartStamp(pid)}");
        File.Move(temp, Path.Combine(folder, OwnerFile), overwrite: true);
    }

    /// <summary>Removes every marked folder under <paramref name="root"/> whose owner and Node processes are gone.</summary>
    internal static void Sweep(string root)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(root))
            return;
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            if (!IsOrphan(folder))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process swept it first, or it is not ours to delete; either way leave it.
            }
        }
    }

    private static bool IsOrphan(string folder)
    {
        string marker;
        try
        {
            marker = File.ReadAllText(Path.Combine(folder, OwnerFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // unmarked (or being created): not ours to judge
        }
        var parts = marker.Split(' ', 2);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid))
            return false;
        return StartStamp(pid) != parts[1] && !UsedByAnyProcess(folder);
    }

    /// <summary>
    /// The tarballs and runtime bundle (jsii's random <c>xxxxxxxx.xxx</c> folders) are read once, when Node starts
    /// and loads the packages; Node's <c>jsii-kernel-*</c> folder stays until Node exits. Only those two folders
    /// go: other code that asked for a temp path while TMPDIR pointed here may have put its own files next to them.
    /// </summary>
    private static void DropExtractedFiles(string folder)
    {
        foreach (var dir in Directory.EnumerateDirectories(folder))
        {
            var tarballs = Directory.EnumerateFiles(dir).ToList();
            var isTarballs = tarballs.Count > 0 && tarballs.All(f => f.EndsWith(".tgz", StringComparison.Ordinal));
            var isRuntime = File.Exists(Path.Combine(dir, "bin", "jsii-runtime.js"));
            if (isTarballs || isRuntime)
                TryDelete(dir);
        }
    }

    private static void RemoveOnExit(string folder)
    {
        var deadline = DateTime.UtcNow + NodeExitWait;
        while (UsedByAnyProcess(folder) && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        // If Node outlived the wait, the next process's sweep removes the folder once Node is gone.
        if (!UsedByAnyProcess(folder))
            TryDelete(folder);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is swept by a later process.
        }
    }

    /// <summary>
    /// The process's start time in clock ticks since boot (/proc/PID/stat field 22): with the pid it names one
    /// process, so a recycled pid does not look like the owner. Null when no such process exists.
    /// </summary>
    internal static string? StartStamp(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 2 (the command) may hold spaces and parentheses; the fields after its last ')' start at field 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether a live process (jsii's Node runtime) names the folder on its command line.</summary>
    private static bool UsedByAnyProcess(string folder)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(folder, StringComparison.Ordinal))
                    return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return false;
    }
}
