using System.Globalization;
using System.Text;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Unixctl;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Open vSwitch's <c>dpif-netdev/pmd-*</c> commands: PMD counters, their reset, rx queue placement and its
/// rebalancing, in Open vSwitch 3.1's layout. Every number comes from the PMDs through their command rings (a
/// snapshot each PMD takes itself) or from counters they keep anyway: nothing is added to the packet path.
/// </summary>
internal static class DpifNetdevCommands
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Register(UnixctlServer server, ISwitchView view)
    {
        server.Register("dpif-netdev/pmd-stats-show", "[-pmd core] [dp]", 0, 3, args => UnixctlReply.Ok(StatsShow(view, args)));
        server.Register("dpif-netdev/pmd-stats-clear", "[-pmd core] [dp]", 0, 3, args =>
        {
            foreach (PmdThread pmd in Select(view, args, allowSecs: false, out _))
            {
                PmdCommand reply = pmd.Call(PmdCommand.StatsClear());
                if (!reply.Ok)
                {
                    throw new UnixctlException("pmd-stats-clear failed: " + reply.Error);
                }
            }

            return UnixctlReply.Ok();
        });
        server.Register("dpif-netdev/pmd-rxq-show", "[-pmd core] [-secs secs] [dp]", 0, 5, args => UnixctlReply.Ok(RxqShow(view, args)));
        server.Register("dpif-netdev/pmd-rxq-rebalance", "[dp]", 0, 1, args =>
        {
            AppctlCommands.CheckDatapath(view, args.Count == 1 ? args[0] : null);
            foreach ((_, NetdevDatapath dp) in SwitchDatapaths.All(view))
            {
                dp.Rebalance(view.RxqAssignment);
            }

            return UnixctlReply.Ok("pmd rxq rebalance requested.");
        });
    }

    private static string StatsShow(ISwitchView view, IReadOnlyList<string> args)
    {
        var sb = new StringBuilder();
        foreach (PmdThread pmd in Select(view, args, allowSecs: false, out _))
        {
            PmdCommand reply = pmd.Call(PmdCommand.StatsRequest());
            sb.Append(PmdStatsFormatter.Format(pmd.CoreId, reply.Stats));
        }

        return sb.ToString();
    }

    private static string RxqShow(ISwitchView view, IReadOnlyList<string> args)
    {
        IReadOnlyList<PmdThread> pmds = Select(view, args, allowSecs: true, out int secs);
        var portsOf = SwitchDatapaths.Pmds(view).ToDictionary(p => p.Pmd, p => p.Datapath.Ports);
        var sb = new StringBuilder();
        sb.Append(Inv, $"Displaying last {secs} seconds pmd usage %\n");
        foreach (PmdThread pmd in pmds)
        {
            PmdStatsSnapshot s = pmd.Call(PmdCommand.StatsRequest()).Stats;
            IReadOnlyDictionary<uint, INetdev> ports = portsOf[pmd];
            long total = s.BusyCycles + s.IdleCycles;
            sb.Append(Inv, $"pmd thread numa_id 0 core_id {(pmd.CoreId >= 0 ? pmd.CoreId.ToString(Inv) : "unpinned")}:\n");
            sb.Append("  isolated : false\n");
            long onQueues = 0;
            foreach (var (portNo, queue, busy) in pmd.RxQueues.OrderBy(q => ports.TryGetValue(q.PortNo, out INetdev? d) ? d.Name : "", StringComparer.Ordinal))
            {
                onQueues += busy;
                string name = ports.TryGetValue(portNo, out INetdev? dev) ? dev.Name : portNo.ToString(Inv);
                int queueId = dev is null ? 0 : QueueIndex(dev, queue);
                sb.Append(Inv, $"  port: {name,-16}  queue-id: {queueId,2} (enabled)   pmd usage: {Usage(busy, total)}\n");
            }

            sb.Append(Inv, $"  overhead: {Usage(Math.Max(0, s.BusyCycles - onQueues), total)}\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The share of the PMD's cycles, as Open vSwitch prints it (<c>%2d %</c>), or NOT AVAIL before the PMD has
    /// measured anything. FastPath measures over the PMD's life (or since its counters were cleared), not a
    /// sliding window; a queue's cycles are not cleared with the counters, so the share is capped at 100.
    /// </summary>
    private static string Usage(long part, long total)
        => total <= 0 ? "NOT AVAIL" : Math.Min(100, part * 100 / total).ToString("D", Inv).PadLeft(2) + " %";

    private static int QueueIndex(INetdev dev, IRxQueue queue)
    {
        for (int i = 0; i < dev.RxQueueCount; i++)
        {
            if (ReferenceEquals(dev.GetRxQueue(i), queue))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The PMDs <c>[-pmd core] [-secs secs] [dp]</c> selects (all by default), and the seconds (60 by default).</summary>
    private static IReadOnlyList<PmdThread> Select(ISwitchView view, IReadOnlyList<string> args, bool allowSecs, out int secs)
    {
        int? core = null;
        secs = 60;
        string? dp = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "-pmd" && i + 1 < args.Count)
            {
                if (!int.TryParse(args[++i], NumberStyles.None, Inv, out int c))
                {
                    throw new UnixctlException("Invalid pmd");
                }

                core = c;
            }
            else if (allowSecs && args[i] == "-secs" && i + 1 < args.Count)
            {
                if (!int.TryParse(args[++i], NumberStyles.None, Inv, out secs) || secs < 1)
                {
                    throw new UnixctlException("Invalid secs");
                }
            }
            else if (dp is null)
            {
                dp = args[i];
            }
            else
            {
                throw new UnixctlException("Invalid argument");
            }
        }

        // Open vSwitch 3.1 with one datapath answers for it whatever dp names (checked against a real one).
        return [.. SwitchDatapaths.Pmds(view).Select(p => p.Pmd).Where(p => core is null || p.CoreId == core)];
    }
}
