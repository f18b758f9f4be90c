namespace FastPath.Daemon;

/// <summary>Where fastpathd keeps its files, found as Open vSwitch's tools find ovs-vswitchd's.</summary>
public static class DaemonPaths
{
    /// <summary>The default run directory: not Open vSwitch's /var/run/openvswitch, so a system Open vSwitch can run beside FastPath.</summary>
    public const string DefaultRunDir = "/var/run/fastpath";

    /// <summary><c>$OVS_RUNDIR</c> when set (ovs-vsctl, ovs-ofctl and ovs-appctl read the same variable), else <see cref="DefaultRunDir"/>.</summary>
    public static string RunDir() =>
        Environment.GetEnvironmentVariable("OVS_RUNDIR") is { Length: > 0 } dir ? Path.GetFullPath(dir) : DefaultRunDir;
}
