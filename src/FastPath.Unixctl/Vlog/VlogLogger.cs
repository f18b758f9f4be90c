using Microsoft.Extensions.Logging;

namespace FastPath.Unixctl.Vlog;

/// <summary>The logger of one category: its module's levels decide, the provider writes.</summary>
internal sealed class VlogLogger(VlogLoggerProvider provider, VlogModule module) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => module.EnabledAnywhere(VlogNames.FromLogLevel(logLevel));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        VlogLevel level = VlogNames.FromLogLevel(logLevel);
        if (!module.EnabledAnywhere(level))
        {
            return;
        }

        string message = formatter(state, exception);
        if (exception is not null)
        {
            message = message.Length == 0 ? exception.ToString() : message + ": " + exception;
        }

        provider.Write(module, level, message);
    }
}
