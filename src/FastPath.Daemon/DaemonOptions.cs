namespace FastPath.Daemon;

/// <summary>fastpathd's command-line settings.</summary>
public sealed record DaemonOptions
{
    /// <summary>The OVSDB server (<c>unix:PATH</c>, <c>tcp:IP:PORT</c>); null: a private ovsdb-server in the run directory.</summary>
    public string? Database { get; init; }

    /// <summary>The run directory: pidfile, unixctl socket, bridges' management sockets, the private database.</summary>
    public required string RunDir { get; init; }

    /// <summary>The private database's file (default RUNDIR/conf.db).</summary>
    public string? DbFile { get; init; }

    /// <summary>How often interface statistics and controller states are written to the database (OVS: 5 s).</summary>
    public TimeSpan StatisticsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The log file (vlog's file destination); null: console only.</summary>
    public string? LogFile { get; init; }

    /// <summary>The port of the Prometheus endpoint on 127.0.0.1; null: off.</summary>
    public int? PrometheusPort { get; init; }

    /// <summary>A pidfile to write besides the run directory's (ovs-vswitchd's <c>--pidfile=FILE</c>), or null.</summary>
    public string? PidFile { get; init; }

    /// <summary>A file to create once the first configuration is applied, which a <c>--detach</c> parent waits for; or null.</summary>
    public string? ReadyFile { get; init; }

    /// <summary>vlog settings to apply at start (ovs-vswitchd's <c>-vSPEC</c>), in order.</summary>
    public IReadOnlyList<string> VerboseSpecs { get; init; } = [];
}
