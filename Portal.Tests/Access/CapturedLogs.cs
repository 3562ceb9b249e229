using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Access;

/// <summary>
/// Every log line a host writes, at every level, with its structured values, scopes and exception: what any log sink
/// configured in production could receive.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AppendValues(StringBuilder line, object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                line.Append($" {key}={value}");
            }
        }
    }

    private sealed class Logger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}");
            AppendValues(line, state);
            logs._scopes.ForEachScope((scope, text) => AppendValues(text.Append(" scope=").Append(scope), scope), line);
            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }
            logs._lines.Enqueue(line.ToString());
        }
    }
}
