using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastPath.Unixctl.Vlog;

/// <summary>Wires vlog into Microsoft.Extensions.Logging (and so into Microsoft.Extensions.Hosting).</summary>
public static class VlogLoggingBuilderExtensions
{
    /// <summary>
    /// Makes <paramref name="provider"/> the place log lines go: the other providers are removed (the console one
    /// would print every line a second time, in another layout), and the provider gets every level, since the
    /// modules' levels, not the logging configuration, decide what is written. The provider is registered as a
    /// singleton too, for <see cref="VlogCommands"/>.
    /// </summary>
    public static ILoggingBuilder AddVlog(this ILoggingBuilder builder, VlogLoggerProvider provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        builder.ClearProviders();
        builder.AddProvider(provider);
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton(provider.Modules);
        builder.AddFilter<VlogLoggerProvider>(null, LogLevel.Trace);
        return builder;
    }
}
