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
            (List<MacLearningEntry> entries, uint? local) = host.Bridge.Invoke(() => (normal.Table.Snapshot(normal.Now), host.Bridge.Ports.LocalPort));
            var sb = new StringBuilder(" port  VLAN  MAC                Age\n");
            foreach (MacLearningEntry e in entries)
            {
                sb.Append(Inv, $"{(e.Port == local ? "LOCAL" : OfPorts.Format(e.Port)),5}  {e.Vlan,4}  {EthernetAddress.Format(e.Mac)}  {(e.IsStatic ? "static" : e.AgeSeconds.ToString(Inv)),3}\n");
            }

            return UnixctlReply.Ok(sb.ToString());
        });
        server.Register("memory/show", "", 0, 0, _ => UnixctlReply.Ok(Memory(view)));
    }

    private static string Trace(ISwitchView view, IReadOnlyList<string> args)
    {
        // -generate, last, makes the trace act as a real packet would: NORMAL learns its source, learn adds its rules.
        bool generate = args.Count > 1 && args[^1] == "-generate";
        int count = generate ? args.Count - 1 : args.Count;
        BridgeHost? host = Find(view, args[0]);
        string flow;
        string? packet;
        if (host is not null)
        {
            if (count < 2)
            {
                throw new UnixctlException("ofproto/trace: a flow is needed after the bridge");
            }

            flow = WithPortNumbers(host, args[1]);
            packet = count == 3 ? args[2] : null;
        }
        else
        {
            // Open vSwitch's other form: [dp_name] odp_flow [packet], a datapath flow whose in_port names the bridge.
            int at = args[0] == view.DatapathName || args[0] == "netdev@" + view.DatapathName ? 1 : 0;
            if (at >= count || !args[at].Contains('(', StringComparison.Ordinal))
            {
                throw new UnixctlException($"{args[0]}: unknown bridge");
            }

            string ofctl;
            uint? datapathPort;
            try
            {
                ofctl = OdpFlowText.ToOfctl(args[at], out datapathPort);
            }
            catch (FormatException e)
            {
                throw new UnixctlException(e.Message);
            }

            (host, uint ofport) = BridgeOfDatapathPort(view, datapathPort);
            string inPort = ofport == OfPorts.Local ? "in_port=LOCAL" : string.Create(Inv, $"in_port={ofport}");
            flow = ofctl.Length == 0 ? inPort : inPort + "," + ofctl;
            packet = count == at + 2 ? args[at + 1] : null;
        }

        FlowKey key;
        try
        {
            key = TraceInput.Parse(flow, packet);
        }
        catch (FormatException e)
        {
            throw new UnixctlException(e.Message);
        }

        XlateTrace trace = host.Bridge.Trace(key, generate);
        return TraceReport.Format(trace, key, host.Name);
    }

    /// <summary>
    /// The bridge and OpenFlow port behind a datapath port of a traced datapath flow. FastPath's datapath ports are
    /// their OpenFlow numbers (LOCAL's is <see cref="BridgeHost.LocalDatapathPort"/>), numbered per bridge: a number
    /// more than one bridge has is ambiguous, and refused with the bridge form to use instead.
    /// </summary>
    private static (BridgeHost Host, uint OfPort) BridgeOfDatapathPort(ISwitchView view, uint? datapathPort)
    {
        uint dp = datapathPort ?? 0;
        uint ofport = dp == BridgeHost.LocalDatapathPort ? OfPorts.Local : dp;
        BridgeHost[] owners = [.. view.Bridges.Where(b => b.Bridge.Invoke(() => b.Ports.Find(ofport) is not null))];
        return owners.Length switch
        {
            1 => (owners[0], ofport),
            0 => throw new UnixctlException(string.Create(Inv, $"no OpenFlow port for datapath port {dp}")),
            _ => throw new UnixctlException(string.Create(Inv, $"datapath port {dp} is on bridges {string.Join(", ", owners.Select(o => o.Name))} (FastPath numbers each bridge's ports): use ofproto/trace BRIDGE FLOW")),
        };
    }

    /// <summary>
    /// The flow with <c>in_port=NAME</c> written as the port's OpenFlow number: Open vSwitch's trace takes the
    /// bridge's port names there (its tutorials trace <c>in_port=p1</c>), which only the bridge can resolve.
    /// Reserved names (LOCAL) and names the bridge lacks are left for the flow parser to take or refuse.
    /// </summary>
    private static string WithPortNumbers(BridgeHost host, string flow)
    {
        if (!flow.Contains("in_port=", StringComparison.Ordinal))
        {
            return flow;
        }

        Dictionary<string, uint> ports = host.Bridge.Invoke(() => host.Ports.Descriptions.ToDictionary(d => d.Name, d => d.PortNo, StringComparer.Ordinal));
        string[] tokens = flow.Split(',');
        for (int i = 0; i < tokens.Length; i++)
        {
            string t = tokens[i].Trim();
            if (t.StartsWith("in_port=", StringComparison.Ordinal)
                && ports.TryGetValue(t["in_port=".Length..], out uint portNo)
                && !OfPorts.TryParseName(t["in_port=".Length..], out _))
            {
                tokens[i] = portNo == OfPorts.Local ? "in_port=LOCAL" : string.Create(Inv, $"in_port={portNo}");
            }
        }

        return string.Join(',', tokens);
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
