namespace Portal.Tests.Hosting;

/// <summary>A test's scratch folder under the temp directory.</summary>
internal static class TempFolder
{
    /// <summary>Removes it with everything in it; a host on PostgreSQL may never have created it.</summary>
    public static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
