using Microsoft.Extensions.Logging;

namespace FastPath.Unixctl.Vlog;

/// <summary>The names Open vSwitch gives levels and destinations, and how Microsoft.Extensions.Logging's levels map onto them.</summary>
public static class VlogNames
{
    private static readonly string[] LevelNames = ["OFF", "EMER", "ERR", "WARN", "INFO", "DBG"];
    private static readonly string[] DestinationNames = ["console", "syslog", "file"];

    /// <summary>The level's name as vlog/list prints it (OFF, EMER, ERR, WARN, INFO, DBG).</summary>
    public static string Name(VlogLevel level) => LevelNames[(int)level];

    /// <summary>The destination's name (console, syslog, file).</summary>
    public static string Name(VlogDestination destination) => DestinationNames[(int)destination];

    /// <summary>A level by name, case-insensitive; null if there is none.</summary>
    public static VlogLevel? ParseLevel(string word)
    {
        int i = Array.FindIndex(LevelNames, n => n.Equals(word, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : (VlogLevel)i;
    }

    /// <summary>A destination by name, case-insensitive; null if there is none.</summary>
    public static VlogDestination? ParseDestination(string word)
    {
        int i = Array.FindIndex(DestinationNames, n => n.Equals(word, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : (VlogDestination)i;
    }

    /// <summary>The vlog level a message of <paramref name="level"/> has (None is never logged: Off).</summary>
    public static VlogLevel FromLogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => VlogLevel.Dbg,
        LogLevel.Information => VlogLevel.Info,
        LogLevel.Warning => VlogLevel.Warn,
        LogLevel.Error => VlogLevel.Err,
        LogLevel.Critical => VlogLevel.Emer,
        _ => VlogLevel.Off,
    };
}
