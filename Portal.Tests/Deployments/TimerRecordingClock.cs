using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Deployments;

/// <summary>A fake clock that reports the due time of every timer created on it (Task.Delay makes one per wait).</summary>
internal sealed class TimerRecordingClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (in order of creation).</summary>
    public Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken) => _timers.Reader.ReadAsync(cancellationToken).AsTask();
}
