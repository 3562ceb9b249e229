using Portal.Infra.Environments;

namespace Portal.Tests.Environments;

/// <summary>The sample specs in <c>samples/</c> at the repository root (also used by the template tests).</summary>
public static class SpecSamples
{
    public const string OrdersDev = "orders-dev";
    public const string PaymentsTest = "payments-test";

    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "samples", $"{name}.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"samples/{name}.json not found above {AppContext.BaseDirectory}");
    }

    public static string Json(string name) => File.ReadAllText(Path(name));

    /// <summary>The sample, parsed and validated; fails loudly if the sample itself is invalid.</summary>
    public static EnvironmentSpec Load(string name)
    {
        var result = EnvironmentSpecJson.Parse(Json(name));
        return result.IsValid ? result.Spec : throw new InvalidOperationException(string.Join("\n", result.Errors));
    }
}
