using System.Globalization;
using System.Text;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Normal;
using FastPath.Ofproto.Trace;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Fields;
using FastPath.Packets;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's bridge-level commands: <c>ofproto/trace</c> (through the bridge's own tables, on its ofproto
/// thread), <c>fdb/show</c> (NORMAL's MAC table) and <c>memory/show</c> (with the runtime's GC counters added), with Open
/// vSwitch's layouts and messages.
/// </summary>
internal static class OfprotoCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("ofproto/trace", "{[dp_name] odp_flow | bridge br_flow} [OPTIONS...] [-generate|packet]", 1, 4, args => UnixctlReply.Ok(Trace(view, args)));
        server.Register("fdb/show", "bridge", 1, 1, args =>
        {
            BridgeHost host = Find(view, args[0]) ?? throw new UnixctlException("no such bridge");
            NormalBridge normal = host.Bridge.Ports.Normal;
            List<MacLearningEntry> entries = host.Bridge.Invoke(() => normal.Table.Snapshot(normal.Now));
            var sb = new StringBuilder(" port  VLAN  MAC                Age\n");
            foreach (MacLearningEntry e in entries)
            {
                sb.Append(Inv, $"{OfPorts.Format(e.Port),5}  {e.Vlan,4}  {EthernetAddress.Format(e.Mac)}  {e.AgeSeconds,3}\n");
            }

            return UnixctlReply.Ok(sb.ToString());
        });
        server.Register("memory/show", "", 0, 0, _ => UnixctlReply.Ok(Memory(view)));
    }

    private static string Trace(ISwitchView view, IReadOnlyList<string> args)
    {
        BridgeHost? host = Find(view, args[0]);
        if (host is null)
        {
            // Open vSwitch takes a first argument that is no bridge for a datapath flow; FastPath traces OpenFlow flows only.
            throw new UnixctlException(args.Count == 1 || args[0].Contains('(', StringComparison.Ordinal)
                ? "FastPath traces a bridge's OpenFlow flow: ofproto/trace BRIDGE FLOW [PACKET]"
                : $"{args[0]}: unknown bridge");
        }

        // -generate, last, makes the trace act as a real packet would: NORMAL learns its source, learn adds its rules.
        bool generate = args.Count > 2 && args[^1] == "-generate";
        int count = generate ? args.Count - 1 : args.Count;
        if (count < 2)
        {
            throw new UnixctlException("ofproto/trace: a flow is needed after the bridge");
        }

        FlowKey key;
        try
        {
            key = TraceInput.Parse(args[1], count == 3 ? args[2] : null);
        }
        catch (FormatException e)
        {
            throw new UnixctlException(e.Message);
        }

        XlateTrace trace = host.Bridge.Trace(key, generate);
        return TraceReport.Format(trace, key, host.Name);
    }

    private static string Memory(ISwitchView view)
    {
        // The runtime's garbage collections (all generations) and bytes allocated since start, so a benchmark can
        // read them before and after a window and show that the packet path neither allocates nor collects. Read
        // first, so that what this command allocates itself falls after its own reading.
        // Generation 0 is collected by every collection, so its count is the number of collections; summing the
        // generations' counts would count a full collection three times.
        int collections = GC.CollectionCount(0);

        long allocated = GC.GetTotalAllocatedBytes(precise: true);

        long rules = 0, macs = 0;
        foreach (BridgeHost b in view.Bridges)
        {
            NormalBridge normal = b.Bridge.Ports.Normal;
            (int r, int m) = b.Bridge.Invoke(() => (b.Bridge.Pipeline.Count, normal.Table.Count));
            rules += r;
            macs += m;
        }

        // The PMDs' own counts, one round trip each: a benchmark polls this around every window, and walking the
        // megaflows took one round trip per chunk (seconds with 250,000 of them under a flood of new flows).
        long megaflows = 0;
        foreach (PmdThread pmd in view.Datapath.Pmds)
        {
            megaflows += pmd.Call(PmdCommand.StatsRequest()).Stats.Megaflows;
        }

        // Open vSwitch's layout: name:count pairs sorted by name, on one line.
        return string.Create(Inv, $"gc-allocated-bytes:{allocated} gc-collections:{collections} mac-entries:{macs} megaflows:{megaflows} pmds:{view.Datapath.Pmds.Count} ports:{view.Datapath.Ports.Count} rules:{rules}");
    }

    private static BridgeHost? Find(ISwitchView view, string name) => view.Bridges.FirstOrDefault(b => b.Name == name);
}
