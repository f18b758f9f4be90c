using System.Runtime.CompilerServices;
using FastPath.Connmgr;
using FastPath.Daemon.Appctl;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Normal;

namespace FastPath.Daemon.Coverage;

/// <summary>
/// Connects a <see cref="CoverageRegistry"/> to the switch: the counters FastPath keeps anyway are read at
/// sampling time under Open vSwitch's names (the PMDs' drop counters, which Open vSwitch counts per packet, and
/// the MAC learning tables'), and every published counter is registered up front so "never hit" counts it.
/// </summary>
public static class CoverageSources
{
    private static readonly string[] PmdNames = ["datapath_drop_upcall_error", "datapath_drop_invalid_port"];
    private static readonly string[] MacNames = ["mac_learning_learned", "mac_learning_expired", "mac_learning_moved", "mac_learning_evicted"];

    /// <summary>Registers the counters and the sources that read <paramref name="view"/>.</summary>
    public static void Attach(CoverageRegistry registry, ISwitchView view)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(view);

        // The counters live in static classes created on first use: create them now.
        RuntimeHelpers.RunClassConstructor(typeof(ConnmgrCoverage).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(OfprotoCoverage).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(DaemonCoverage).TypeHandle);
        registry.AddSource(MacNames, () => MacLearning(view));
        registry.AddSource(PmdNames, () => Pmds(view));
    }

    private static IEnumerable<KeyValuePair<string, long>> MacLearning(ISwitchView view)
    {
        ulong learned = 0, expired = 0, moved = 0, evicted = 0;
        foreach (BridgeHost b in view.Bridges)
        {
            MacLearningStats s = b.Bridge.Invoke(() => b.Bridge.Ports.Normal.Table.Stats);
            learned += s.Learned;
            expired += s.Expired;
            moved += s.Moved;
            evicted += s.Evicted;
        }

        return [new(MacNames[0], (long)learned), new(MacNames[1], (long)expired), new(MacNames[2], (long)moved), new(MacNames[3], (long)evicted)];
    }

    private static IEnumerable<KeyValuePair<string, long>> Pmds(ISwitchView view)
    {
        long lost = 0, unknownPort = 0;
        foreach (BridgeHost b in view.Bridges)
        {
            foreach (PmdThread pmd in b.Datapath.Pmds)
            {
                PmdStatsSnapshot s = pmd.Call(PmdCommand.StatsRequest()).Stats;
                lost += s.LostUpcalls;
                unknownPort += s.TxUnknownPort;
            }
        }

        return [new(PmdNames[0], lost), new(PmdNames[1], unknownPort)];
    }
}
