using System.Runtime.CompilerServices;

namespace Portal.Tests.Support;

/// <summary>
/// The AWS settings every test process starts with, set once before any test runs: nothing here may reach AWS, even
/// by accident (no instance metadata), and the standard credential chain finds dummy credentials. Set here rather
/// than by each test class, because these variables are process-wide and tests run in parallel. bUnit's waits get a
/// deadline that a busy 2-core CI machine meets (its default of 1 s is shorter than a loaded PostgreSQL read).
/// </summary>
internal static class TestEnvironment
{
    public const string AccessKeyId = "AKIDTESTPORTAL";

    /// <summary>
    /// The temp directory as the process started with it. Tests put their folders here, never under
    /// <see cref="Path.GetTempPath"/> later: the first synth points TMPDIR at its own private folder for a moment
    /// (<c>JsiiTempFolder</c>), and a PostgreSQL cluster (run as the postgres user) cannot live in there.
    /// </summary>
    public static string TempRoot { get; private set; } = "";

    [ModuleInitializer]
    internal static void Initialize()
    {
        TempRoot = Path.GetTempPath();
        System.Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        System.Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        System.Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        System.Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        System.Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
    }
}
