namespace FastPath.Unixctl.Vlog;

/// <summary>Where log lines go, as Open vSwitch names its destinations.</summary>
public enum VlogDestination
{
    /// <summary>Standard error.</summary>
    Console,

    /// <summary>The system log (<c>/dev/log</c>).</summary>
    Syslog,

    /// <summary>The log file (<c>--log-file</c>).</summary>
    File,
}
