using System.Security.Claims;
using Portal.Web.Identity;

namespace Portal.Web.Hosting;

/// <summary>
/// How many <typeparamref name="TResource"/> (event streams, open pages) each user holds open on this instance, against
/// a cap, so one client or one stolen token cannot take the instance's connections and memory from everyone else.
/// </summary>
public sealed class PerUserLimit<TResource>
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <param name="max">The cap, at least 1.</param>
    /// <param name="setting">The configuration key it comes from, named in errors and refusals.</param>
    public PerUserLimit(int max, string setting)
    {
        if (max < 1)
            throw new ArgumentOutOfRangeException(nameof(max), max, $"{setting} must be at least 1 (got {max}).");
        Max = max;
        Setting = setting;
    }

    public int Max { get; }

    public string Setting { get; }

    /// <summary>Who counts as whom: a signed-in user by issuer and subject; everyone not signed in shares one allowance.</summary>
    public static string Key(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.ToActor().Id.ToString() : "";

    public bool IsFull(string user)
    {
        lock (_open) return _open.GetValueOrDefault(user) >= Max;
    }

    /// <summary>One more for <paramref name="user"/>, given back by disposing it (once, however often disposed); null at the cap.</summary>
    public IDisposable? TryOpen(string user)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(user);
            if (open >= Max) return null;
            _open[user] = open + 1;
        }
        return new Place(this, user);
    }

    private void Close(string user)
    {
        lock (_open)
        {
            if (_open[user] == 1) _open.Remove(user);
            else _open[user]--;
        }
    }

    private sealed class Place(PerUserLimit<TResource> limit, string user) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) limit.Close(user);
        }
    }
}
