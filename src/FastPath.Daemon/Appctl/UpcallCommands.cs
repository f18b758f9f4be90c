using System.Globalization;
using System.Text;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Revalidation;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>upcall/show</c> in its 3.1 layout for the userspace datapath. Open vSwitch has one slow
/// path per datapath; FastPath has one per bridge (an ofproto thread that handles upcalls and revalidates), so the
/// one <c>netdev@ovs-netdev</c> block sums the bridges' megaflows and limits, shows the longest dump, and lists
/// each bridge's revalidator with its keys, numbered from 1 in bridge-name order.
/// </summary>
internal static class UpcallCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("upcall/show", "", 0, 0, _ => UnixctlReply.Ok(Show(view)));

        // FastPath always installs megaflows and dumps them by ufid: asking for what is already so is answered as
        // Open vSwitch answers it; turning either off is refused, as FastPath has no other mode.
        server.Register("upcall/enable-megaflows", "", 0, 0, _ => UnixctlReply.Ok("megaflows enabled\n"));
        server.Register("upcall/disable-megaflows", "", 0, 0, _ => UnixctlReply.Error("FastPath always installs megaflows (disabling them is not supported)"));
        server.Register("upcall/enable-ufid", "", 0, 0, _ => UnixctlReply.Ok("Datapath dumping tersely using UFID enabled for supported datapaths\n"));
        server.Register("upcall/disable-ufid", "", 0, 0, _ => UnixctlReply.Error("FastPath always dumps datapath flows by UFID (disabling it is not supported)"));
    }

    private static string Show(ISwitchView view)
    {
        IReadOnlyList<BridgeHost> bridges = view.Bridges;
        var sb = new StringBuilder();
        if (bridges.Count == 0)
        {
            return string.Empty;
        }

        long current = 0, avg = 0, max = 0, limit = 0, dump = 0;
        var keys = new List<int>(bridges.Count);
        foreach (BridgeHost b in bridges)
        {
            (int flows, int average, int most, long ms) = b.Bridge.Invoke(() =>
            {
                Revalidator r = b.Bridge.Thread.Revalidator;
                return (b.Bridge.Thread.Upcalls.Ukeys.Count, r.FlowsAverage, r.FlowsMax, r.LastDumpMilliseconds);
            });
            current += flows;
            avg += average;
            max += most;
            dump = Math.Max(dump, ms);
            limit += (long)b.Datapath.Options.MaxMegaflows * b.Datapath.Pmds.Count;
            keys.Add(flows);
        }

        sb.Append(Inv, $"netdev@{view.DatapathName}:\n");
        sb.Append(Inv, $"  flows         : (current {current}) (avg {avg}) (max {max}) (limit {limit})\n");
        sb.Append(Inv, $"  dump duration : {dump}ms\n");
        sb.Append("  ufid enabled : true\n");
        sb.Append('\n');
        for (int i = 0; i < keys.Count; i++)
        {
            sb.Append(Inv, $"  {i + 1}: (keys {keys[i]})\n");
        }

        return sb.ToString();
    }
}
