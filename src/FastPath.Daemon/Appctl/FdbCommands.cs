using System.Globalization;
using System.Text;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Normal;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Text;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>fdb/flush</c>, <c>fdb/add</c>, <c>fdb/del</c>, <c>fdb/stats-show</c> and <c>fdb/stats-clear</c>
/// over NORMAL's MAC learning tables, with its messages and layout (checked against ovs-vswitchd 3.1). They run on
/// the bridge's ofproto thread, which owns the table; a change moves the table's version, so the megaflows NORMAL
/// built from it are revalidated.
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
        server.Register("fdb/add", "bridge port vlan mac", 4, 4, args =>
        {
            BridgeHost b = Find(view, args[0]);
            (ushort vlan, ulong mac) = VlanAndMac(args[2], args[3]);
            uint? before = b.Bridge.Invoke(() =>
            {
                uint port = NormalPort(b, args[1]);
                return b.Bridge.Ports.Normal.Table.AddStatic(mac, vlan, port);
            });

            // Open vSwitch names the port the entry was on by its number.
            return UnixctlReply.Ok(before is uint p ? string.Create(CultureInfo.InvariantCulture, $"Overriding already existing static entry on {p}\n") : string.Empty);
        });
        server.Register("fdb/del", "bridge vlan mac", 3, 3, args =>
        {
            BridgeHost b = Find(view, args[0]);
            (ushort vlan, ulong mac) = VlanAndMac(args[1], args[2]);
            return b.Bridge.Invoke(() => b.Bridge.Ports.Normal.Table.RemoveStatic(mac, vlan))
                ? UnixctlReply.Ok()
                : UnixctlReply.Error("could not find static mac entry");
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

            sb.Append(CultureInfo.InvariantCulture, $"  Current static MAC entries in the table : {s.Static}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of learned MAC entries     : {s.Learned}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of expired MAC entries     : {s.Expired}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of evicted MAC entries     : {s.Evicted}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Total number of port moved MAC entries  : {s.Moved}\n");
            return UnixctlReply.Ok(sb.ToString());
        });
    }

    /// <summary>
    /// The port NORMAL knows by the bridge port named <paramref name="name"/>: its OpenFlow number, or for the
    /// bridge's own port the datapath number that carries it. Runs on the bridge's thread.
    /// </summary>
    private static uint NormalPort(BridgeHost b, string name)
    {
        uint ofport = b.Ports.Descriptions.FirstOrDefault(d => d.Name == name)?.PortNo ?? throw new UnixctlException($"no port named {name} in bridge {b.Name}");
        return ofport == OfPorts.Local && b.Bridge.Ports.LocalPort is uint local ? local : ofport;
    }

    /// <summary>A VLAN (0-4095) and an Ethernet address as fdb/add and fdb/del take them, refused with Open vSwitch's messages.</summary>
    private static (ushort Vlan, ulong Mac) VlanAndMac(string vlanText, string macText)
    {
        if (!ushort.TryParse(vlanText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort vlan) || vlan > MacLearningTable.MaxVlan)
        {
            throw new UnixctlException("invalid VLAN");
        }

        if (!FieldText.TryParseEthernet(macText, out UInt128 mac))
        {
            throw new UnixctlException("bad MAC address");
        }

        return (vlan, (ulong)mac);
    }

    private static BridgeHost Find(ISwitchView view, string name) =>
        view.Bridges.FirstOrDefault(b => b.Name == name) ?? throw new UnixctlException("no such bridge");
}
