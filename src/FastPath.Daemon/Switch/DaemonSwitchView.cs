using FastPath.Daemon.Appctl;
using FastPath.Datapath;
using FastPath.Ofproto.Bridge;
using FastPath.Unixctl;

namespace FastPath.Daemon.Switch;

/// <summary>
/// What ovs-appctl's commands see of the daemon's switch: the running bridges, read afresh on every command.
/// FastPath gives each bridge its own datapath (its OpenFlow and datapath port numbers coincide); the datapath-level
/// commands go over every bridge's (see SwitchDatapaths); <see cref="Datapath"/> is the first bridge's, by name.
/// </summary>
public sealed class DaemonSwitchView(SwitchReconciler reconciler) : ISwitchView
{
    /// <inheritdoc/>
    public string DatapathName => "ovs-netdev";

    /// <inheritdoc/>
    public NetdevDatapath Datapath =>
        reconciler.Bridges.Values.OrderBy(b => b.Name, StringComparer.Ordinal).FirstOrDefault()?.Datapath
        ?? throw new UnixctlException("ovs-vswitchd: no datapaths exist (add a bridge with datapath_type=netdev)");

    /// <inheritdoc/>
    public RxqAssignment RxqAssignment => reconciler.RxqAssignment;

    /// <inheritdoc/>
    public IReadOnlyList<BridgeHost> Bridges => [.. reconciler.Bridges.Values.OrderBy(b => b.Name, StringComparer.Ordinal).Select(b => b.Host)];
}
