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

    /// <summary>Removes it with everything in it; a host on PostgreSQL may never have created it.</summary>
    public static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
