using System.Globalization;
using System.Text;
using FastPath.Datapath;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Native;
using FastPath.Ofproto.Trace;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>dpctl/show</c>, <c>dpctl/dump-flows</c> and <c>dpctl/del-flows</c> on the userspace datapath,
/// in Open vSwitch 3.1's layout: megaflows in its datapath flow syntax, per PMD.
/// </summary>
internal static class DpctlCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("dpctl/show", "[-s] [dp...]", 0, int.MaxValue, args => UnixctlReply.Ok(Show(view, args)));
        server.Register("dpctl/dump-flows", "[-m] [--names] [dp] [filter=..] [type=..] [pmd=..]", 0, 6, args => UnixctlReply.Ok(DumpFlows(view, args)));
        server.Register("dpctl/del-flows", "[dp] [file]", 0, 2, args =>
        {
            if (args.Count == 2)
            {
                throw new UnixctlException("ovs-vswitchd: deleting flows from a file is not supported by FastPath");
            }

            AppctlCommands.CheckDatapath(view, args.Count == 1 ? args[0] : null);
            foreach ((_, NetdevDatapath dp) in SwitchDatapaths.All(view))
            {
                dp.FlushFlows();
            }

            return UnixctlReply.Ok();
        });
    }

    private static string Show(ISwitchView view, IReadOnlyList<string> args)
    {
        bool stats = false;
        foreach (string a in args)
        {
            if (a == "-s" || a == "--statistics")
            {
                stats = true;
            }
            else
            {
                AppctlCommands.CheckDatapath(view, a);
            }
        }

        IReadOnlyList<(string Bridge, NetdevDatapath Datapath)> datapaths = SwitchDatapaths.All(view);
        long hit = 0, missed = 0, lost = 0, flows = 0;
        foreach ((PmdThread pmd, _) in SwitchDatapaths.Pmds(view))
        {
            PmdStatsSnapshot s = pmd.Call(PmdCommand.StatsRequest()).Stats;
            hit += s.Hits;
            missed += s.Misses;
            lost += s.LostUpcalls;
            flows += s.Megaflows;
        }

        var sb = new StringBuilder();
        sb.Append(Inv, $"netdev@{view.DatapathName}:\n");
        sb.Append(Inv, $"  lookups: hit:{hit} missed:{missed} lost:{lost}\n");
        sb.Append(Inv, $"  flows: {flows}\n");
        foreach (var (no, dev) in datapaths.SelectMany(d => d.Datapath.Ports))
        {
            sb.Append(Inv, $"  port {no}: {dev.Name} ({dev.Type})\n");
            if (stats)
            {
                // Counters the ports do not keep print as '?', as Open vSwitch prints them for such ports.
                NetdevStats n = dev.GetStats();
                Coverage.DaemonCoverage.NetdevGetStats.Add(1);
                sb.Append(Inv, $"    RX packets:{n.RxPackets} errors:{n.RxErrors} dropped:{n.RxDropped} overruns:? frame:?\n");
                sb.Append(Inv, $"    TX packets:{n.TxPackets} errors:{n.TxErrors} dropped:{n.TxDropped} aborted:? carrier:?\n");
                sb.Append("    collisions:?\n");
                sb.Append(Inv, $"    RX bytes:{n.RxBytes}  TX bytes:{n.TxBytes}\n");
            }
        }

        return sb.ToString();
    }

    private static string DumpFlows(ISwitchView view, IReadOnlyList<string> args)
    {
        bool more = false, offloadedOnly = false;
        int? pmdCore = null;
        string? dp = null;
        foreach (string a in args)
        {
            if (a is "-m" or "--more")
            {
                more = true;
            }
            else if (a == "--names" || a == "--no-names")
            {
                // Port names would need the bridges' port tables; numbers are printed, as without --names.
            }
            else if (a.StartsWith("pmd=", StringComparison.Ordinal))
            {
                pmdCore = int.TryParse(a.AsSpan(4), NumberStyles.AllowLeadingSign, Inv, out int c) ? c : throw new UnixctlException("ovs-vswitchd: invalid pmd (Invalid argument)");
            }
            else if (a.StartsWith("type=", StringComparison.Ordinal))
            {
                offloadedOnly = OffloadedOnly(a["type=".Length..]);
            }
            else if (a.StartsWith("filter=", StringComparison.Ordinal))
            {
                throw new UnixctlException($"ovs-vswitchd: {a[..a.IndexOf('=', StringComparison.Ordinal)]}= is not supported by FastPath");
            }
            else if (dp is null)
            {
                dp = a;
            }
            else
            {
                throw new UnixctlException($"ovs-vswitchd: unknown argument {a} (Invalid argument)");
            }
        }

        if (dp is not null && dp != view.DatapathName && dp != "netdev@" + view.DatapathName)
        {
            throw new UnixctlException("ovs-vswitchd: datapath not found (Invalid argument)");
        }

        ulong now = Cpu.ReadTsc();
        double hz = Cpu.TscHz;
        var sb = new StringBuilder();
        if (offloadedOnly)
        {
            // Nothing is offloaded: every flow is the userspace datapath's own.
            return string.Empty;
        }

        // Each bridge has PMDs of its own, possibly on the same cores: one dump per core, as Open vSwitch has one PMD per core.
        foreach (IGrouping<int, PmdThread> core in SwitchDatapaths.Pmds(view).Select(p => p.Pmd).GroupBy(p => p.CoreId))
        {
            if (pmdCore is int c && core.Key != c)
            {
                continue;
            }

            sb.Append(Inv, $"flow-dump from pmd on cpu core: {(core.Key >= 0 ? core.Key.ToString(Inv) : "unpinned")}\n");
            AppendFlows(sb, core.SelectMany(p => p.EnumerateFlows()), more, now, hz);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whether <c>type=</c> asks for offloaded flows only: Open vSwitch's types are a comma-separated list of
    /// <c>ovs</c>/<c>non-offloaded</c> (the userspace datapath's flows, all of FastPath's), <c>offloaded</c>,
    /// <c>partially-offloaded</c>, <c>dpdk</c>, <c>tc</c> (none here) and <c>all</c>; anything else is its error.
    /// </summary>
    private static bool OffloadedOnly(string types)
    {
        bool userspace = false;
        foreach (string t in types.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (t)
            {
                case "ovs" or "non-offloaded" or "all":
                    userspace = true;
                    break;
                case "offloaded" or "partially-offloaded" or "dpdk" or "tc":
                    break;
                default:
                    throw new UnixctlException($"ovs-vswitchd: Failed to parse type ({types}) (Invalid argument)");
            }
        }

        return !userspace;
    }

    /// <summary>Datapath flows as <c>dpctl/dump-flows</c> prints them (ufid and dp with <paramref name="more"/>).</summary>
    internal static void AppendFlows(StringBuilder sb, IEnumerable<DatapathFlow> flows, bool more, ulong now, double hz)
    {
        foreach (DatapathFlow f in flows)
        {
            if (more)
            {
                sb.Append("ufid:").Append(Ufid(f.Match)).Append(", ");
            }

            sb.Append(MatchFormatter.Format(f.Match));
            sb.Append(Inv, $", packets:{f.Packets}, bytes:{f.Bytes}, used:");
            sb.Append(FormatUsed(now, f.UsedTsc, hz));
            if (f.TcpFlags != 0)
            {
                sb.Append(", flags:").Append(TcpFlags(f.TcpFlags));
            }

            if (more)
            {
                sb.Append(", dp:ovs");
            }

            sb.Append(", actions:").Append(OdpActionFormat.Format(f.Actions)).Append('\n');
        }
    }

    /// <summary>
    /// The "used" of a flow last hit at <paramref name="usedTsc"/>, seen at <paramref name="now"/>: seconds ago, or never.
    /// </summary>
    /// <remarks>
    /// A PMD keeps forwarding while it is dumped, so a flow's last use can be later than the moment the dump began:
    /// that is "just now", not an unsigned difference wrapped round to 8.8 billion seconds.
    /// </remarks>
    internal static string FormatUsed(ulong now, ulong usedTsc, double hz) =>
        usedTsc == 0 ? "never" : (Math.Max(0L, (long)(now - usedTsc)) / hz).ToString("F3", Inv) + "s";

    /// <summary>
    /// A flow's id as a UUID: FastPath keys megaflows by match, so the id is a hash of the key and mask (Open
    /// vSwitch's ufid is likewise a hash of the flow), the same for the same megaflow on every dump.
    /// </summary>
    private static string Ufid(in FlowMatch match)
    {
        FlowMatch m = match;
        ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<FlowMatch>(in m));
        byte[] hash = System.Security.Cryptography.SHA256.HashData(bytes);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }

    /// <summary>TCP flags as Open vSwitch's packet_format_tcp_flags prints them.</summary>
    private static string TcpFlags(ushort flags)
    {
        var sb = new StringBuilder();
        (int Bit, string Name)[] names = [(0x002, "S"), (0x001, "F"), (0x004, "R"), (0x008, "P"), (0x010, "."), (0x020, "U"), (0x040, "E"), (0x080, "C"), (0x100, "N"), (0x200, "[200]"), (0x400, "[400]"), (0x800, "[800]")];
        foreach (var (bit, name) in names)
        {
            if ((flags & bit) != 0)
            {
                sb.Append(name);
            }
        }

        return sb.ToString();
    }
}
