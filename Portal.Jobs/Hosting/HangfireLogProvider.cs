using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Portal.Jobs.Hosting;

/// <summary>
/// Hangfire's logging through the host's <see cref="ILoggerFactory"/>, like Hangfire.AspNetCore's own provider, except
/// that it outlives the host. Hangfire's log provider is process-wide: the last host to configure Hangfire sets it.
/// When a process runs several hosts (the tests, the benchmark) and that host stops, its logger factory is disposed,
/// and Hangfire.PostgreSql creates a logger for every job it fetches: with the stock provider that throws after the
/// job was marked fetched, so every later job of every other host sat invisible until the fetch timed out.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    public ILog GetLogger(string name) => new HostLog(loggers, name);

    private sealed class HostLog(ILoggerFactory loggers, string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                logger = loggers.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false; // the host that set this provider has stopped; its logs have nowhere to go
            }

            var level = logLevel switch
            {
                HangfireLevel.Trace => LogLevel.Trace,
                HangfireLevel.Debug => LogLevel.Debug,
                HangfireLevel.Info => LogLevel.Information,
                HangfireLevel.Warn => LogLevel.Warning,
                HangfireLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
            logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
            return true;
        }
    }
}
