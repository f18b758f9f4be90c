namespace FastPath.Unixctl.Vlog;

/// <summary>Open vSwitch's log levels, least to most verbose; a destination set to a level shows that level and the ones above it.</summary>
public enum VlogLevel
{
    /// <summary>Nothing.</summary>
    Off,

    /// <summary>The process is about to stop (Microsoft.Extensions.Logging's Critical).</summary>
    Emer,

    /// <summary>Errors (Error).</summary>
    Err,

    /// <summary>Warnings (Warning).</summary>
    Warn,

    /// <summary>Information (Information).</summary>
    Info,

    /// <summary>Debugging (Debug and Trace).</summary>
    Dbg,
}
