namespace Portal.Tests.Support;

/// <summary>A test's scratch folder under the temp directory the process started with (<see cref="TestEnvironment.TempRoot"/>).</summary>
internal static class TempFolder
{
    /// <summary>A new folder's path (not yet created), named <paramref name="prefix"/>-&lt;guid&gt; to tell what left it.</summary>
    public static string New(string? prefix = null)
    {
        var name = Guid.NewGuid().ToString("n");
        return Path.Combine(TestEnvironment.TempRoot, "portal-tests", prefix is null ? name : $"{prefix}-{name}");
    }

    /// <summary>
    /// Removes it with everything in it; a host on PostgreSQL may never have created it. When something still writes
    /// there, the failure names what is left, so the writer can be found.
    /// </summary>
    public static void Delete(string path)
    {
        if (!Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException e)
        {
            var left = Directory.Exists(path)
                ? Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Take(20).Select(entry => Path.GetRelativePath(path, entry))
                : [];
            throw new IOException($"{e.Message} Deleting {path}; still there: {string.Join(", ", left)}", e);
        }
    }
}
