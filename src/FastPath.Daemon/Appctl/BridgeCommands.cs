using System.Diagnostics;
using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's per-bridge maintenance commands: <c>bridge/reconnect</c> (drop the controller connections, which
/// then reconnect), <c>revalidator/purge</c> and <c>revalidator/wait</c>, and <c>dpif/show-dp-features</c> (what the
/// datapath under a bridge can do, in ovs-vswitchd 3.1's layout and with FastPath's own answers).
/// </summary>
internal static class BridgeCommands
{
    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("bridge/reconnect", "[bridge]", 0, 1, args =>
        {
            IReadOnlyList<BridgeHost> bridges = args.Count == 0 ? view.Bridges : [.. view.Bridges.Where(b => b.Name == args[0])];
            if (bridges.Count == 0 && args.Count == 1)
            {
                return UnixctlReply.Error("Unknown bridge");
            }

            foreach (BridgeHost b in bridges)
            {
                // As connmgr_reconnect: every controller connection goes; active ones connect again after their backoff.
                foreach (OfRemote remote in b.Connections.Remotes.Where(r => r.Kind == OfConnectionKind.Controller))
                {
                    foreach (OfConnection c in remote.Connections)
                    {
                        c.Close("reconnect requested");
                    }
                }
            }

            return UnixctlReply.Ok();
        });
        server.Register("revalidator/purge", "", 0, 0, _ =>
        {
            foreach (BridgeHost b in view.Bridges)
            {
                // Megaflows and their ukeys go together, on the ofproto thread that owns the ukeys.
                b.Bridge.Invoke(() =>
                {
                    b.Datapath.FlushFlows();
                    b.Bridge.Thread.Upcalls.Ukeys.Reset(b.Datapath.Pmds.Count);
                    return true;
                });
            }

            return UnixctlReply.Ok();
        });
        server.Register("revalidator/wait", "", 0, 0, _ =>
        {
            foreach (BridgeHost b in view.Bridges)
            {
                b.Bridge.Invoke(() =>
                {
                    b.Bridge.Thread.Revalidator.Run(Stopwatch.GetTimestamp());
                    return true;
                });
            }

            return UnixctlReply.Ok();
        });
        server.Register("dpif/show-dp-features", "bridge", 1, 1, args => view.Bridges.Any(b => b.Name == args[0])
            ? UnixctlReply.Ok(DatapathFeatures)
            : UnixctlReply.Error("no such bridge"));
    }

    /// <summary>
    /// FastPath's datapath as ovs-vswitchd 3.1 describes a backer: masked set actions, ufids, two VLAN headers and
    /// three MPLS labels in a flow key; no recirculation, connection tracking, tunnels, clone, sample, truncate or
    /// check_pkt_len actions.
    /// </summary>
    private const string DatapathFeatures =
        "Masked set action: Yes\n"
        + "Tunnel push pop: No\n"
        + "Ufid: Yes\n"
        + "Truncate action: No\n"
        + "Clone action: No\n"
        + "Sample nesting: 0\n"
        + "Conntrack eventmask: No\n"
        + "Conntrack clear: No\n"
        + "Max dp_hash algorithm: 0\n"
        + "Check pkt length action: No\n"
        + "Conntrack timeout policy: No\n"
        + "Explicit Drop action: No\n"
        + "Optimized Balance TCP mode: No\n"
        + "Conntrack all-zero IP SNAT: No\n"
        + "MPLS Label add: No\n"
        + "Max VLAN headers: 2\n"
        + "Max MPLS depth: 3\n"
        + "Recirc: No\n"
        + "CT state: No\n"
        + "CT zone: No\n"
        + "CT mark: No\n"
        + "CT label: No\n"
        + "CT state NAT: No\n"
        + "CT orig tuple: No\n"
        + "CT orig tuple for IPv6: No\n"
        + "IPv6 ND Extension: No\n";
}
