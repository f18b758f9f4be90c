using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;

namespace FastPath.Datapath;

/// <summary>
/// The userspace datapath (OVS's dpif-netdev): ports numbered from 1, a set of PMD threads, and rx queue
/// placement. Used from one thread (the slow path); it talks to PMDs only through their rings.
/// </summary>
public sealed class NetdevDatapath : IDisposable
{
    private readonly List<PmdThread> pmds = [];
    private readonly SortedDictionary<uint, INetdev> ports = [];
    private readonly Dictionary<(uint Port, int Queue), PmdThread> placement = [];

    /// <summary>Creates PMDs on <paramref name="cores"/> (-1 for an unpinned PMD) without starting them.</summary>
    public NetdevDatapath(IEnumerable<int> cores, PmdOptions? options = null)
    {
        foreach (int core in cores)
        {
            pmds.Add(new PmdThread(core, options));
        }

        if (pmds.Count == 0)
        {
            throw new ArgumentException("a datapath needs at least one PMD", nameof(cores));
        }
    }

    /// <summary>The PMD threads.</summary>
    public IReadOnlyList<PmdThread> Pmds => pmds;

    /// <summary>Ports by number.</summary>
    public IReadOnlyDictionary<uint, INetdev> Ports => ports;

    /// <summary>Where each rx queue is polled.</summary>
    public IReadOnlyDictionary<(uint Port, int Queue), PmdThread> Placement => placement;

    /// <summary>Starts every PMD.</summary>
    public void Start()
    {
        foreach (PmdThread p in pmds)
        {
            p.Start();
        }
    }

    /// <summary>Adds a port under <paramref name="portNo"/> (or the lowest free number) and places its rx queues.</summary>
    public uint AddPort(INetdev dev, uint? portNo = null)
    {
        uint no = portNo ?? FirstFreePortNo();
        if (no == 0 || ports.ContainsKey(no))
        {
            throw new ArgumentException($"port number {no} is {(no == 0 ? "reserved" : "in use")}", nameof(portNo));
        }

        if (dev.TxQueueCount < pmds.Count)
        {
            // Each PMD owns one tx queue outright; sharing one would need a lock on the send path.
            throw new ArgumentException($"port {dev.Name} has {dev.TxQueueCount} tx queues, the datapath has {pmds.Count} PMDs");
        }

        ports.Add(no, dev);
        for (int i = 0; i < pmds.Count; i++)
        {
            Check(pmds[i].Call(PmdCommand.PortAdd(no, dev.GetTxQueue(i))));
        }

        int next = placement.Count;
        for (int q = 0; q < dev.RxQueueCount; q++)
        {
            PmdThread pmd = pmds[(next + q) % pmds.Count];
            Check(pmd.Call(PmdCommand.RxqAdd(no, dev.GetRxQueue(q))));
            placement[(no, q)] = pmd;
        }

        return no;
    }

    /// <summary>Removes a port: its queues stop being polled and output to it is dropped.</summary>
    public void RemovePort(uint portNo)
    {
        if (!ports.Remove(portNo))
        {
            throw new ArgumentException($"no port {portNo}", nameof(portNo));
        }

        foreach (PmdThread p in pmds)
        {
            Check(p.Call(PmdCommand.PortDel(portNo)));
        }

        foreach (var key in placement.Keys.Where(k => k.Port == portNo).ToList())
        {
            placement.Remove(key);
        }
    }

    /// <summary>Installs a megaflow on every PMD (dpctl/add-flow semantics).</summary>
    public void PutFlow(in FlowMatch match, byte[] actions)
    {
        foreach (PmdThread p in pmds)
        {
            Check(p.Call(PmdCommand.FlowPut(match, actions)));
        }
    }

    /// <summary>Deletes a megaflow from every PMD that has it; false if none had it.</summary>
    public bool DeleteFlow(in FlowMatch match)
    {
        bool any = false;
        foreach (PmdThread p in pmds)
        {
            any |= p.Call(PmdCommand.FlowDel(match)).Ok;
        }

        return any;
    }

    /// <summary>Deletes every megaflow on every PMD.</summary>
    public void FlushFlows()
    {
        foreach (PmdThread p in pmds)
        {
            Check(p.Call(PmdCommand.Flush()));
        }
    }

    /// <summary>Counters of every PMD, each a consistent snapshot taken by the PMD itself.</summary>
    public IReadOnlyList<PmdStatsSnapshot> GetPmdStats() => pmds.Select(p => p.Call(PmdCommand.StatsRequest()).Stats).ToList();

    /// <summary>Zeroes every PMD's counters.</summary>
    public void ClearPmdStats()
    {
        foreach (PmdThread p in pmds)
        {
            Check(p.Call(PmdCommand.StatsClear()));
        }
    }

    /// <summary>
    /// Re-places every rx queue (pmd-rxq-rebalance). <see cref="RxqAssignment.Cycles"/> puts the busiest
    /// queues first, each onto the PMD with the least load so far, by the busy cycles measured since start.
    /// </summary>
    public void Rebalance(RxqAssignment mode)
    {
        var queues = new List<(uint Port, int Queue, long Load)>();
        var loads = new Dictionary<IRxQueue, long>(ReferenceEqualityComparer.Instance);
        foreach (PmdThread p in pmds)
        {
            foreach (var (_, q, busy) in p.RxQueues)
            {
                loads[q] = busy;
            }
        }

        foreach (var (key, _) in placement)
        {
            IRxQueue q = ports[key.Port].GetRxQueue(key.Queue);
            queues.Add((key.Port, key.Queue, loads.GetValueOrDefault(q)));
        }

        if (mode == RxqAssignment.Cycles)
        {
            queues.Sort((a, b) => b.Load.CompareTo(a.Load));
        }

        var pmdLoad = new long[pmds.Count];
        for (int i = 0; i < queues.Count; i++)
        {
            var (port, queue, load) = queues[i];
            int target = mode == RxqAssignment.RoundRobin ? i % pmds.Count : Array.IndexOf(pmdLoad, pmdLoad.Min());
            pmdLoad[target] += load;
            PmdThread from = placement[(port, queue)];
            PmdThread to = pmds[target];
            if (ReferenceEquals(from, to))
            {
                continue;
            }

            // Stop polling on the old PMD before the new one starts: one poller per queue at any time.
            IRxQueue rxq = ports[port].GetRxQueue(queue);
            Check(from.Call(PmdCommand.RxqDel(port, rxq)));
            Check(to.Call(PmdCommand.RxqAdd(port, rxq)));
            placement[(port, queue)] = to;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (PmdThread p in pmds)
        {
            p.Dispose();
        }

        foreach (INetdev d in ports.Values)
        {
            d.Dispose();
        }

        ports.Clear();
    }

    private uint FirstFreePortNo()
    {
        uint no = 1;
        while (ports.ContainsKey(no))
        {
            no++;
        }

        return no;
    }

    private static void Check(PmdCommand reply)
    {
        if (!reply.Ok)
        {
            throw new InvalidOperationException($"PMD refused {reply.Kind}: {reply.Error}");
        }
    }
}
