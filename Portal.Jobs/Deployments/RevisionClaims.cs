using System.Collections.Concurrent;

namespace Portal.Jobs.Deployments;

/// <summary>
/// One job per revision at a time in this process: start-up recovery and Hangfire's own re-queue of an interrupted
/// job may both start one, and the second must not call CloudFormation again while the first is working.
/// </summary>
public sealed class RevisionClaims
{
    private readonly ConcurrentDictionary<int, byte> _running = new();

    /// <summary>A claim to dispose when done, or null when another job of this process holds the revision.</summary>
    public IDisposable? TryClaim(int revisionId) =>
        _running.TryAdd(revisionId, 0) ? new Claim(() => _running.TryRemove(revisionId, out _)) : null;

    private sealed class Claim(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
