using Microsoft.Extensions.Logging;

/// <summary>Prints log lines to the console without another package; an optional filter picks which (shared by the benches).</summary>
internal sealed class ConsoleLines(Func<LogLevel, string, bool>? keep = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Lines(keep);

    public void Dispose() { }

    private sealed class Lines(Func<LogLevel, string, bool>? keep) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (keep is null || keep(logLevel, text))
                Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {text}");
        }
    }
}
