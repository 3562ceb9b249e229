namespace Portal.Tests.Support;

/// <summary>Waiting for a condition with a deadline (never a fixed sleep).</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 90) =>
        UntilAsync(condition, done => done, _ => $"timed out after {seconds} s waiting for {what}", TimeSpan.FromSeconds(seconds));

    /// <summary>
    /// Probes until <paramref name="done"/> holds for what <paramref name="probe"/> returned, and returns that; past
    /// <paramref name="within"/> the test fails saying <paramref name="failure"/> of the last value.
    /// </summary>
    public static Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> failure, TimeSpan within,
        TimeSpan? interval = null) =>
        UntilAsync(probe, done, last => Task.FromResult(failure(last)), within, interval);

    /// <inheritdoc cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, Func{T, string}, TimeSpan, TimeSpan?)"/>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, Task<string>> failure, TimeSpan within,
        TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail(await failure(value));
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
