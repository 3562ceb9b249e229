using Microsoft.Extensions.DependencyInjection;
using Portal.Sandbox;

namespace Portal.Tests.Web;

/// <summary>
/// Slows the shared host's sandbox for one test (a deploy that runs long enough to watch or cancel mid-way), and
/// restores the fast default when disposed. Tests of the Host collection run one after another, so no other test
/// sees the slower pace; deploys already running simply take their remaining steps at the new pace.
/// </summary>
public sealed class SandboxPace : IDisposable
{
    private readonly SandboxOptions _options;
    private readonly double _previous;

    private SandboxPace(SandboxOptions options, double timeScale)
    {
        _options = options;
        _previous = options.TimeScale;
        options.TimeScale = timeScale;
    }

    /// <summary>Every simulated duration times <paramref name="timeScale"/> (1.0 is about AWS's pace) until disposed.</summary>
    public static SandboxPace Set(PortalHost host, double timeScale) =>
        new(host.Services.GetRequiredService<SandboxCloudFormation>().Options, timeScale);

    public void Dispose() => _options.TimeScale = _previous;
}
