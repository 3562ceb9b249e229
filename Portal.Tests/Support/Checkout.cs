namespace Portal.Tests.Support;

/// <summary>The checkout this test assembly was built from (its output is …/Portal.Tests/bin/&lt;Configuration&gt;/net10.0).</summary>
internal static class Checkout
{
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Root { get; } = Output.Parent!.Parent!.Parent!.Parent!.FullName;

    /// <summary>Another project's assembly, built in the same configuration, e.g. Portal.Web/bin/Debug/net10.0/Portal.Web.dll.</summary>
    public static string Assembly(string project) =>
        Path.Combine(Root, project, "bin", Output.Parent!.Name, Output.Name, $"{project}.dll");
}
