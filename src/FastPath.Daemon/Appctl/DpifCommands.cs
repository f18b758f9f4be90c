using System.Diagnostics;
using System.Globalization;
using System.Text;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Text;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's per-bridge views of the datapath and the flow table: <c>dpif/show</c> (every bridge's ports
/// with their OpenFlow and datapath numbers, under the one <c>netdev@ovs-netdev</c>), <c>ofproto/list</c> and
/// <c>bridge/dump-flows</c>, in Open vSwitch 3.1's layouts.
/// </summary>
internal static class DpifCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("dpif/show", "", 0, 0, _ => UnixctlReply.Ok(Show(view)));
        server.Register("dpif/dump-flows", "[-m] [--names | --no-names] bridge", 1, 3, args => UnixctlReply.Ok(DumpDatapathFlows(view, args)));
        server.Register("ofproto/list", "", 0, 0, _ => UnixctlReply.Ok(string.Concat(view.Bridges.Select(b => b.Name + "\n"))));
        server.Register("bridge/dump-flows", "[--offload-stats] bridge", 1, 2, args => UnixctlReply.Ok(DumpFlows(view, args[^1])));
    }

    private static string Show(ISwitchView view)
    {
        long hit = 0, missed = 0;
        foreach ((PmdThread pmd, _) in SwitchDatapaths.Pmds(view))
        {
            PmdStatsSnapshot s = pmd.Call(PmdCommand.StatsRequest()).Stats;
            hit += s.Hits;
            missed += s.Misses;
        }

        var sb = new StringBuilder();
        sb.Append(Inv, $"netdev@{view.DatapathName}: hit:{hit} missed:{missed}\n");
        foreach (BridgeHost b in view.Bridges.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            sb.Append(Inv, $"  {b.Name}:\n");
            var ports = b.Bridge.Invoke(() => b.Ports.Descriptions.Select(d => (d.Name, d.PortNo, b.Ports.Device(d.PortNo))).ToList());

            // Sorted by name, as ovs-vswitchd sorts them; FastPath's datapath numbers are its OpenFlow numbers but LOCAL's.
            foreach ((string name, uint ofport, INetdev? dev) in ports.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                bool local = ofport == OfPorts.Local;
                uint dp = local ? BridgeHost.LocalDatapathPort : ofport;
                sb.Append(Inv, $"    {name} {(local ? 65534 : ofport)}/{dp}: ({dev?.Type ?? "unknown"})\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The megaflows of one bridge's datapath, per PMD, as <c>dpctl/dump-flows</c> prints them.</summary>
    private static string DumpDatapathFlows(ISwitchView view, IReadOnlyList<string> args)
    {
        bool more = args.Any(a => a is "-m" or "--more");
        string name = args[^1];
        BridgeHost host = view.Bridges.FirstOrDefault(b => b.Name == name) ?? throw new UnixctlException("Unknown bridge");
        ulong now = Native.Cpu.ReadTsc();
        var sb = new StringBuilder();
        foreach (PmdThread pmd in host.Datapath.Pmds)
        {
            sb.Append(Inv, $"flow-dump from pmd on cpu core: {(pmd.CoreId >= 0 ? pmd.CoreId.ToString(Inv) : "unpinned")}\n");
            DpctlCommands.AppendFlows(sb, pmd.EnumerateFlows(), more, now, Native.Cpu.TscHz);
        }

        return sb.ToString();
    }

    /// <summary>Every rule of the bridge as ofproto's flow_stats_ds prints it: table (when not 0), age, counters, match, actions.</summary>
    private static string DumpFlows(ISwitchView view, string name)
    {
        BridgeHost host = view.Bridges.FirstOrDefault(b => b.Name == name) ?? throw new UnixctlException("Unknown bridge");
        long now = Stopwatch.GetTimestamp();
        List<OfRule> rules = host.Bridge.Invoke(() => host.Bridge.Pipeline.Rules.ToList());
        var sb = new StringBuilder();
        foreach (OfRule r in rules)
        {
            if (r.TableId != 0)
            {
                sb.Append(Inv, $"table_id={r.TableId}, ");
            }

            sb.Append(Inv, $"duration={(now - r.CreatedTicks) / Stopwatch.Frequency}s, n_packets={r.Packets}, n_bytes={r.Bytes}, ");
            string match = MatchText.Format(r.Spec.Match, r.Spec.Priority).TrimEnd(',');
            sb.Append(match).Append(match.Length > 0 ? "," : string.Empty);
            sb.Append("actions=").Append(ActionText.Format(r.Spec.Instructions, r.Spec.Match)).Append('\n');
        }

        return sb.ToString();
    }
}
