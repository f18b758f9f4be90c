namespace FastPath.Unixctl;

/// <summary>
/// Where the daemon keeps its pidfile and control socket, found as Open vSwitch's tools find theirs: the
/// <c>OVS_RUNDIR</c> environment variable, else a default of FastPath's own (<see cref="Default"/>), so that a
/// system Open vSwitch in /var/run/openvswitch is neither reached nor disturbed. <c>OVS_RUNDIR=DIR ovs-appctl</c>
/// then reaches fastpathd.
/// </summary>
public static class RunDirectory
{
    /// <summary>The run directory when <c>OVS_RUNDIR</c> is not set.</summary>
    public const string Default = "/var/run/fastpath";

    /// <summary>The environment variable Open vSwitch's tools read.</summary>
    public const string EnvironmentVariable = "OVS_RUNDIR";

    /// <summary><c>OVS_RUNDIR</c> when set and not empty, else <see cref="Default"/>.</summary>
    public static string Resolve()
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(env) ? Default : env;
    }

    /// <summary>The pidfile of <paramref name="program"/> in <paramref name="directory"/> (<c>DIR/PROGRAM.pid</c>).</summary>
    public static string PidfilePath(string directory, string program) => Path.Combine(directory, program + ".pid");

    /// <summary>The control socket <c>ovs-appctl -t PROGRAM</c> looks for: <c>DIR/PROGRAM.PID.ctl</c>.</summary>
    public static string ControlSocketPath(string directory, string program, int pid)
        => Path.Combine(directory, FormattableString.Invariant($"{program}.{pid}.ctl"));
}
