using FastPath.Datapath.Ports;
using FastPath.Ofproto.Bridge;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// The ovs-appctl views of features FastPath does not have (bonds, LACP, CFM, BFD, STP, RSTP, multicast
/// snooping, tunnels, QoS, PMD performance metrics), answering as ovs-vswitchd 3.1 answers when none is
/// configured: nothing (or an empty table under its header) for the lists, and its own error for a named object,
/// so scripts written for Open vSwitch read "none here" rather than "unknown command". Also <c>dpctl/dump-dps</c>
/// and <c>dpif/dump-dps</c>, the one datapath name.
/// </summary>
internal static class AbsentFeatureCommands
{
    private const string NeighborHeader =
        "IP                                            MAC                 Bridge\n"
        + "==========================================================================\n";

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("bond/list", "", 0, 0, _ => UnixctlReply.Ok("bond\ttype\trecircID\tmembers\n"));
        NoneUnlessNamed(server, "bond/show", "[port]", "no such bond");
        NoneUnlessNamed(server, "lacp/show", "[port]", "no such lacp object");
        NoneUnlessNamed(server, "lacp/show-stats", "[port]", "no such lacp object");
        NoneUnlessNamed(server, "cfm/show", "[interface]", "no such CFM object");
        NoneUnlessNamed(server, "bfd/show", "[interface]", "no such bfd object");
        NoneUnlessNamed(server, "stp/show", "[bridge]", "no such stp object");
        NoneUnlessNamed(server, "rstp/show", "[bridge]", "No such RSTP object");

        // A topology change with no (R)STP bridge named: nothing to notify, which OVS acknowledges.
        server.Register("stp/tcn", "[bridge]", 0, 1, args => args.Count == 1 ? UnixctlReply.Error("no such stp object") : UnixctlReply.Ok("OK\n"));
        server.Register("rstp/tcn", "[bridge]", 0, 1, args => args.Count == 1 ? UnixctlReply.Error("No such RSTP object") : UnixctlReply.Ok("OK\n"));
        server.Register("dpif-netdev/bond-show", "[dp]", 0, 1, _ => UnixctlReply.Ok());

        // OVS prints the PMDs' detailed metrics only with other_config:pmd-perf-metrics=true, which FastPath lacks.
        server.Register("dpif-netdev/pmd-perf-show", "[-nh] [-it iter-history-len] [-ms ms-history-len] [-pmd core] [dp]", 0, 8, _ => UnixctlReply.Ok());
        // The PMD performance log needs the detailed metrics FastPath does not keep: it stays off.
        server.Register("dpif-netdev/pmd-perf-log-set", "on|off [-b before] [-a after] [-e|-ne] [-us usec] [-q qlen]", 1, 11, args => args[0] switch
        {
            "off" => UnixctlReply.Ok(),
            "on" => UnixctlReply.Error("FastPath keeps no detailed PMD performance metrics (other_config:pmd-perf-metrics): the PMD performance log stays off"),
            _ => UnixctlReply.Error("Usage: ovs-appctl dpif-netdev/pmd-perf-log-set [on|off] [-b before] [-a after] [-e|-ne] [-us usec] [-q qlen]"),
        });
        server.Register("tnl/ports/show", "-v", 0, 1, _ => UnixctlReply.Ok("Listening ports:\n"));
        server.Register("tnl/arp/show", "", 0, 0, _ => UnixctlReply.Ok(NeighborHeader));
        server.Register("tnl/neigh/show", "", 0, 0, _ => UnixctlReply.Ok(NeighborHeader));
        server.Register("qos/show-types", "interface", 1, 1, args => Interface(view, args[0])
            ? UnixctlReply.Ok($"No QoS types supported for interface: {args[0]}\n")
            : UnixctlReply.Error("no such interface"));
        server.Register("qos/show", "interface", 1, 1, args => Interface(view, args[0])
            ? UnixctlReply.Ok($"QoS not configured on {args[0]}\n")
            : UnixctlReply.Error("no such interface"));
        server.Register("mdb/show", "bridge", 1, 1, args => throw new UnixctlException(Bridge(view, args[0]) ? "multicast snooping is disabled" : "no such bridge"));
        server.Register("mdb/flush", "bridge", 1, 1, args => throw new UnixctlException(Bridge(view, args[0]) ? "multicast snooping is disabled" : "no such bridge"));
        server.Register("dpctl/dump-dps", "", 0, 0, _ => UnixctlReply.Ok(view.Bridges.Count > 0 ? $"netdev@{view.DatapathName}\n" : string.Empty));

        // ofproto-dpif lists its bridges (TYPE@BRIDGE, sorted), not the datapath they share.
        server.Register("dpif/dump-dps", "", 0, 0, _ => UnixctlReply.Ok(string.Concat(view.Bridges.Select(b => b.Name).Order(StringComparer.Ordinal).Select(n => $"netdev@{n}\n"))));

        // The tunnel neighbour cache is always empty (FastPath has no tunnel ports): a flush empties it, "OK" as OVS.
        server.Register("tnl/neigh/flush", "", 0, 0, _ => UnixctlReply.Ok("OK\n"));
        server.Register("tnl/arp/flush", "", 0, 0, _ => UnixctlReply.Ok("OK\n"));

        // No hardware offload: Open vSwitch's own answer for a datapath without offload providers.
        server.Register("dpctl/offload-stats-show", "[dp]", 0, 1, args =>
        {
            AppctlCommands.CheckDatapath(view, args.Count == 1 ? args[0] : null);
            return UnixctlReply.Error("ovs-vswitchd: retrieving offload statistics (Invalid argument)");
        });
    }

    /// <summary>A list command: empty with no argument, OVS's <paramref name="error"/> for any object named.</summary>
    private static void NoneUnlessNamed(UnixctlServer server, string name, string usage, string error) =>
        server.Register(name, usage, 0, 1, args => args.Count == 1 ? UnixctlReply.Error(error) : UnixctlReply.Ok());

    private static bool Bridge(ISwitchView view, string name) => view.Bridges.Any(b => b.Name == name);

    private static bool Interface(ISwitchView view, string name)
    {
        foreach (BridgeHost b in view.Bridges)
        {
            foreach (INetdev dev in b.Datapath.Ports.Values)
            {
                if (dev.Name == name)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
