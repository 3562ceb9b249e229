using Microsoft.Extensions.Logging;
using Portal.Jobs.Hosting;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace Portal.Tests.Hosting;

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class HangfireLogProviderTests
{
    [Fact]
    public void HangfireLogsReachTheHostAndAStoppedHostsLoggersSwallowThemInsteadOfThrowing()
    {
        var written = new List<string>();
        var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(new ListProvider(written)));
        var log = new HangfireLogProvider(loggers).GetLogger("Hangfire.PostgreSql.PostgreSqlFetchedJob");

        Assert.True(log.Log(HangfireLevel.Info, () => "job 1 fetched"));
        Assert.False(log.Log(HangfireLevel.Debug, () => "below the minimum"));
        loggers.Dispose();

        Assert.False(log.Log(HangfireLevel.Error, () => "after the host stopped"));
        Assert.Equal(["job 1 fetched"], written);
    }

    private sealed class ListProvider(List<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(written);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> written) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Add(formatter(state, exception));
    }
}
