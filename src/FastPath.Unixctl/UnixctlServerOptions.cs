namespace FastPath.Unixctl;

/// <summary>How a <see cref="UnixctlServer"/> starts: where its files go and how it names itself.</summary>
public sealed record UnixctlServerOptions
{
    /// <summary>
    /// The program name the files are named after (<c>PROGRAM.pid</c>, <c>PROGRAM.PID.ctl</c>): ovs-vswitchd, so
    /// that <c>ovs-appctl</c> without <c>-t</c> reaches fastpathd.
    /// </summary>
    public string ProgramName { get; init; } = "ovs-vswitchd";

    /// <summary>The run directory; null for <see cref="RunDirectory.Resolve"/> (<c>OVS_RUNDIR</c> or /var/run/fastpath).</summary>
    public string? RunDirectory { get; init; }

    /// <summary>
    /// The control socket's path (ovs-vswitchd's <c>--unixctl=PATH</c>); null for <c>RUNDIR/PROGRAM.PID.ctl</c>.
    /// </summary>
    public string? SocketPath { get; init; }

    /// <summary>Whether to hold the pidfile <c>RUNDIR/PROGRAM.pid</c> (and refuse to start when a live process holds it).</summary>
    public bool UsePidfile { get; init; } = true;

    /// <summary>What <c>version</c> answers, in Open vSwitch's form: <c>NAME (PACKAGE) VERSION</c>.</summary>
    public string VersionText { get; init; } = DefaultVersionText();

    /// <summary>The largest request accepted; a connection sending a larger one is closed.</summary>
    public int MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>The most connections served at once; more wait to be accepted.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary><c>fastpathd (FastPath) VERSION</c>, the version of this assembly's informational version without build metadata.</summary>
    public static string DefaultVersionText()
    {
        var asm = typeof(UnixctlServerOptions).Assembly;
        string version = asm.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute a, ..] ? a.InformationalVersion : asm.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return "fastpathd (FastPath) " + (plus >= 0 ? version[..plus] : version);
    }
}
