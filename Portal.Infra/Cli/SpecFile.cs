using Portal.Infra.Environments;

namespace Portal.Infra.Cli;

/// <summary>Reads a spec file for a command; an invalid spec prints each error as <c>path: message</c>.</summary>
internal static class SpecFile
{
    public static EnvironmentSpec? Read(string path, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"--spec: file not found: {path}");
            return null;
        }
        var parsed = EnvironmentSpecJson.Parse(File.ReadAllText(path));
        foreach (var e in parsed.Errors)
            error.WriteLine(e);
        return parsed.Errors.Count == 0 ? parsed.Spec : null;
    }
}
