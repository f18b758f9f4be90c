using FastPath.Ofproto.Bridge;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// The ovs-appctl views of features FastPath does not have (bonds, LACP, STP, multicast snooping), answering as
/// ovs-vswitchd 3.1 answers when none is configured: an empty bond list under its header, nothing for LACP and STP,
/// and "multicast snooping is disabled" for a bridge's mdb. Also <c>dpctl/dump-dps</c>, the one datapath name.
/// </summary>
internal static class AbsentFeatureCommands
{
    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("bond/list", "", 0, 0, _ => UnixctlReply.Ok("bond\ttype\trecircID\tmembers\n"));
        server.Register("lacp/show", "[port]", 0, 1, args => args.Count == 1
            ? throw new UnixctlException("no such lacp object")
            : UnixctlReply.Ok());
        server.Register("stp/show", "[bridge]", 0, 1, args => args.Count == 1
            ? throw new UnixctlException("no such stp object")
            : UnixctlReply.Ok());
        server.Register("mdb/show", "bridge", 1, 1, args =>
        {
            BridgeHost? b = view.Bridges.FirstOrDefault(b => b.Name == args[0]);
            throw new UnixctlException(b is null ? "no such bridge" : "multicast snooping is disabled");
        });
        server.Register("dpctl/dump-dps", "", 0, 0, _ => UnixctlReply.Ok(view.Bridges.Count > 0 ? $"netdev@{view.DatapathName}\n" : string.Empty));
    }
}
