using System.Globalization;
using System.Text;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Normal;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>fdb/flush</c> and <c>fdb/stats-show</c> over NORMAL's MAC learning tables, with its messages and
/// layout (checked against ovs-vswitchd 3.1). Both run on the bridge's ofproto thread, which owns the table; a flush
/// moves the table's version, so the megaflows NORMAL built from learned addresses are revalidated.
/// </summary>
internal static class FdbCommands
{
    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("fdb/flush", "[bridge]", 0, 1, args =>
        {
            IEnumerable<BridgeHost> bridges = args.Count == 1 ? [Find(view, args[0])] : view.Bridges;
            foreach (BridgeHost b in bridges)
            {
                b.Bridge.Invoke(() => b.Bridge.Ports.Normal.Table.Flush());
            }

            return UnixctlReply.Ok("table successfully flushed");
        });
        server.Register("fdb/stats-clear", "[bridge]", 0, 1, args =>
        {
            IEnumerable<BridgeHost> bridges = args.Count == 1 ? [Find(view, args[0])] : view.Bridges;
            foreach (BridgeHost b in bridges)
            {
                b.Bridge.Invoke(() =>
                {
                    b.Bridge.Ports.Normal.Table.ClearStats();
                    return true;
                });
            }

            return UnixctlReply.Ok("statistics successfully cleared");
        });
        server.Register("fdb/stats-show", "bridge", 1, 1, args =>
        {
            BridgeHost b = Find(view, args[0]);
            MacLearningStats s = b.Bridge.Invoke(() => b.Bridge.Ports.Normal.Table.Stats);
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"Statistics for bridge \"{b.Name}\":\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Current/maximum MAC entries in the table: {s.Count}/{s.MaxEntries}\n");

            // FastPath's table has no static entries (fdb/add is not supported).
            sb.Append("  Current static MAC entries in the table : 0\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of learned MAC entries     : {s.Learned}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of expired MAC entries     : {s.Expired}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of evicted MAC entries     : {s.Evicted}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of port moved MAC entries  : {s.Moved}\n");
            return UnixctlReply.Ok(sb.ToString());
        });
    }

    private static BridgeHost Find(ISwitchView view, string name) =>
        view.Bridges.FirstOrDefault(b => b.Name == name) ?? throw new UnixctlException("no such bridge");
}
