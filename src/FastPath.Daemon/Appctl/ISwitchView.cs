using FastPath.Datapath;
using FastPath.Ofproto.Bridge;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// What the appctl commands see of the running switch: the one userspace datapath (Open vSwitch's
/// <c>netdev@ovs-netdev</c>, shared by every <c>datapath_type=netdev</c> bridge) and the bridges on it. Read on
/// every command, so bridges may come and go.
/// </summary>
public interface ISwitchView
{
    /// <summary>The datapath's name without its type (<c>ovs-netdev</c>, as Open vSwitch names it).</summary>
    string DatapathName { get; }

    /// <summary>The datapath.</summary>
    NetdevDatapath Datapath { get; }

    /// <summary>The running bridges (a snapshot).</summary>
    IReadOnlyList<BridgeHost> Bridges { get; }

    /// <summary>How <c>pmd-rxq-rebalance</c> places rx queues (Open_vSwitch <c>other_config:pmd-rxq-assign</c>; cycles by default).</summary>
    RxqAssignment RxqAssignment => RxqAssignment.Cycles;
}
