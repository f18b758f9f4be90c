using System.Diagnostics.Metrics;
using FastPath.Connmgr;

namespace FastPath.Daemon.Coverage;

/// <summary>
/// The daemon's own coverage counters, under Open vSwitch's names (bridge.c, netdev.c, ovsdb-idl.c): one per
/// reconfiguration, statistics read or database transaction.
/// </summary>
public static class DaemonCoverage
{
    private static readonly Meter Meter = new(ConnmgrCoverage.MeterName);

    /// <summary>bridge_reconfigure: a database change applied to the running switch.</summary>
    public static readonly Counter<long> BridgeReconfigure = Meter.CreateCounter<long>("bridge_reconfigure");

    /// <summary>netdev_get_stats: a device's counters read (the periodic Interface statistics, dpctl/show -s).</summary>
    public static readonly Counter<long> NetdevGetStats = Meter.CreateCounter<long>("netdev_get_stats");

    /// <summary>txn_success: a write-back transaction committed.</summary>
    public static readonly Counter<long> TxnSuccess = Meter.CreateCounter<long>("txn_success");

    /// <summary>txn_unchanged: a write-back with nothing to write, so never sent.</summary>
    public static readonly Counter<long> TxnUnchanged = Meter.CreateCounter<long>("txn_unchanged");

    /// <summary>txn_error: a write-back transaction that failed.</summary>
    public static readonly Counter<long> TxnError = Meter.CreateCounter<long>("txn_error");
}
