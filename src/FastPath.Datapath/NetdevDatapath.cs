using FastPath.Datapath.Flows;
using FastPath.Datapath.Meters;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;

namespace FastPath.Datapath;

/// <summary>
/// The userspace datapath (OVS's dpif-netdev): ports numbered from 1, a set of PMD threads, rx queue
/// placement and tx queue assignment. It talks to PMDs only through their rings. Every method is safe to
/// call from several threads at once (the slow path, the daemon, OpenFlow handlers): control operations
/// are serialized, and none of them is on the packet path.
/// </summary>
/// <remarks>
/// Tx queues as OVS's XPS: PMD i sends on queue i mod n of a port with n queues. A queue only one PMD maps to
/// is used without a lock; on a port with fewer queues than PMDs (pcap, replay, a single-queue veth) the PMDs
/// that share a queue take its lock once per batch sent, never per packet.
/// Each rx and tx queue has its own packet pool (see <see cref="FastPath.Packets.FrameRegion"/>), so an rx
/// queue can move between PMDs on its own.
/// </remarks>
public sealed class NetdevDatapath : IDisposable
{
    private volatile PmdThread[] pmds;
    private readonly SortedDictionary<uint, INetdev> ports = [];
    private readonly Dictionary<(uint Port, int Queue), PmdThread> placement = [];
    private readonly Lock gate = new();
    private readonly MeterTable meters = new();
    private bool started;

    /// <summary>Creates PMDs on <paramref name="cores"/> (-1 for an unpinned PMD) without starting them.</summary>
    public NetdevDatapath(IEnumerable<int> cores, PmdOptions? options = null)
    {
        Options = options ?? new PmdOptions();
        pmds = NewPmds(cores, nameof(cores));
    }

    /// <summary>The PMDs' sizes and knobs (<see cref="PmdOptions.MaxMegaflows"/> is each PMD's flow limit), as a PMD created now gets them.</summary>
    public PmdOptions Options { get; private set; }

    /// <summary>The PMD threads: a snapshot, replaced as a whole by <see cref="ReplacePmds"/>.</summary>
    public IReadOnlyList<PmdThread> Pmds => pmds;

    /// <summary>Ports by number (a snapshot).</summary>
    public IReadOnlyDictionary<uint, INetdev> Ports
    {
        get
        {
            lock (gate)
            {
                return new SortedDictionary<uint, INetdev>(ports);
            }
        }
    }

    /// <summary>Where each rx queue is polled (a snapshot).</summary>
    public IReadOnlyDictionary<(uint Port, int Queue), PmdThread> Placement
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<(uint Port, int Queue), PmdThread>(placement);
            }
        }
    }

    /// <summary>
    /// Installs or replaces meter <paramref name="meterId"/> (below <see cref="MeterTable.MaxMeters"/>),
    /// shared by every PMD; safe from any thread. See <see cref="MeterTable.Set"/> for what is refused.
    /// </summary>
    public void SetMeter(uint meterId, MeterConfig config) => meters.Set(meterId, config);

    /// <summary>Removes meter <paramref name="meterId"/> and returns its last counters (null if it was not installed); packets sent to it pass from then on.</summary>
    public MeterStats? DeleteMeter(uint meterId) => meters.Delete(meterId);

    /// <summary>The counters of meter <paramref name="meterId"/>, summed over every PMD, or null if it is not installed.</summary>
    public MeterStats? GetMeterStats(uint meterId) => meters.TryGetStats(meterId, out MeterStats s) ? s : null;

    /// <summary>
    /// Runs one packet of <paramref name="frameBytes"/> through meter <paramref name="meterId"/> now, outside the PMDs
    /// (the slow path's controller meter); false: drop it. Safe from any thread, lock-free.
    /// </summary>
    public bool ApplyMeter(uint meterId, int frameBytes) => meters.Apply(meterId, frameBytes);

    /// <summary>Starts every PMD.</summary>
    public void Start()
    {
        lock (gate)
        {
            foreach (PmdThread p in pmds)
            {
                p.Start();
            }

            started = true;
        }
    }

    /// <summary>
    /// Re-creates the PMDs on <paramref name="cores"/> (Open vSwitch's reconfiguration on a new pmd-cpu-mask): the
    /// running PMDs stop (flushing what they were sending), new ones start (if the datapath had started) and take
    /// every port and every rx queue, placed round-robin. Megaflows and PMD counters go with the old PMDs; ports,
    /// meters and the EMC insertion probability stay. Returns the old PMDs, stopped but not disposed: whoever
    /// drains their upcall and reply rings (the slow path) lets go of them first, then disposes them.
    /// </summary>
    public IReadOnlyList<PmdThread> ReplacePmds(IEnumerable<int> cores)
    {
        PmdThread[] fresh = NewPmds(cores, nameof(cores));
        lock (gate)
        {
            PmdThread[] old = pmds;

            // Every old PMD stops before a new one starts: one poller per rx queue at any time.
            foreach (PmdThread p in old)
            {
                p.Stop();
            }

            pmds = fresh;

            // Running before the ports come: a PMD takes them through its command ring.
            if (started)
            {
                foreach (PmdThread p in fresh)
                {
                    p.Start();
                }
            }

            var byPort = placement.Keys.GroupBy(k => k.Port).ToDictionary(g => g.Key, g => g.Max(k => k.Queue) + 1);
            placement.Clear();
            foreach ((uint no, INetdev dev) in ports)
            {
                AddToPmds(no, dev, byPort.GetValueOrDefault(no, dev.RxQueueCount));
            }

            return old;
        }
    }

    /// <summary>Adds a port under <paramref name="portNo"/> (or the lowest free number) and places its rx queues.</summary>
    public uint AddPort(INetdev dev, uint? portNo = null)
    {
        ArgumentNullException.ThrowIfNull(dev);
        lock (gate)
        {
            return AddPortLocked(dev, portNo);
        }
    }

    private uint AddPortLocked(INetdev dev, uint? portNo)
    {
        uint no = portNo ?? FirstFreePortNo();
        if (no == 0 || ports.ContainsKey(no))
        {
            throw new ArgumentException($"port number {no} is {(no == 0 ? "reserved" : "in use")}", nameof(portNo));
        }

        if (dev.TxQueueCount < 1)
        {
            throw new ArgumentException($"port {dev.Name} has no tx queue", nameof(dev));
        }

        ports.Add(no, dev);
        AddToPmds(no, dev, dev.RxQueueCount);
        return no;
    }

    private void AddToPmds(uint no, INetdev dev, int rxQueues)
    {
        // XPS: PMD i sends on queue i mod n; only a queue that more than one PMD maps to gets a lock.
        PmdThread[] all = pmds;
        int n = dev.TxQueueCount;
        Lock?[] locks = [.. Enumerable.Range(0, n).Select(q => q + n < all.Length ? new Lock() : null)];
        for (int i = 0; i < all.Length; i++)
        {
            Check(all[i].Call(PmdCommand.PortAdd(no, dev.GetTxQueue(i % n), locks[i % n])));
        }

        int next = placement.Count;
        for (int q = 0; q < rxQueues; q++)
        {
            PmdThread pmd = all[(next + q) % all.Length];
            Check(pmd.Call(PmdCommand.RxqAdd(no, dev.GetRxQueue(q))));
            placement[(no, q)] = pmd;
        }
    }

    private PmdThread[] NewPmds(IEnumerable<int> cores, string paramName)
    {
        PmdThread[] made = [.. cores.Select(core => new PmdThread(core, Options, meters))];
        if (made.Length == 0)
        {
            throw new ArgumentException("a datapath needs at least one PMD", paramName);
        }

        return made;
    }

    /// <summary>Removes a port: its queues stop being polled and output to it is dropped.</summary>
    public void RemovePort(uint portNo)
    {
        lock (gate)
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
    }

    /// <summary>Installs a megaflow on every PMD (dpctl/add-flow semantics).</summary>
    public void PutFlow(in FlowMatch match, byte[] actions)
    {
        lock (gate)
        {
            foreach (PmdThread p in pmds)
            {
                Check(p.Call(PmdCommand.FlowPut(match, actions)));
            }
        }
    }

    /// <summary>Deletes a megaflow from every PMD that has it; false if none had it.</summary>
    public bool DeleteFlow(in FlowMatch match)
    {
        lock (gate)
        {
            bool any = false;
            foreach (PmdThread p in pmds)
            {
                any |= p.Call(PmdCommand.FlowDel(match)).Ok;
            }

            return any;
        }
    }

    /// <summary>Deletes every megaflow on every PMD.</summary>
    public void FlushFlows()
    {
        lock (gate)
        {
            foreach (PmdThread p in pmds)
            {
                Check(p.Call(PmdCommand.Flush()));
            }
        }
    }

    /// <summary>Counters of every PMD, each a consistent snapshot taken by the PMD itself.</summary>
    public IReadOnlyList<PmdStatsSnapshot> GetPmdStats() => pmds.Select(p => p.Call(PmdCommand.StatsRequest()).Stats).ToList();

    /// <summary>
    /// Moves rx queue <paramref name="queue"/> of port <paramref name="portNo"/> to PMD <paramref name="pmdIndex"/>
    /// (OVS's pmd-rxq-affinity, applied now). The old PMD stops polling it before the new one starts.
    /// </summary>
    public void MoveRxQueue(uint portNo, int queue, int pmdIndex)
    {
        lock (gate)
        {
            if (!placement.TryGetValue((portNo, queue), out PmdThread? from))
            {
                throw new ArgumentException($"port {portNo} has no rx queue {queue}", nameof(queue));
            }

            if ((uint)pmdIndex >= (uint)pmds.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(pmdIndex), pmdIndex, $"the datapath has {pmds.Length} PMDs");
            }

            Move(portNo, queue, from, pmds[pmdIndex]);
        }
    }

    /// <summary>Sets every PMD's EMC insertion probability to 1/<paramref name="inverseProbability"/> (emc-insert-inv-prob, at run time; 0 disables the EMC).</summary>
    public void SetEmcInsertInvProb(int inverseProbability)
    {
        lock (gate)
        {
            // Kept for the PMDs a new pmd-cpu-mask creates.
            Options = Options with { EmcInsertInvProb = inverseProbability };
            foreach (PmdThread p in pmds)
            {
                PmdCommand reply = p.Call(PmdCommand.SetEmcInsertInvProb(inverseProbability));
                if (!reply.Ok)
                {
                    throw new InvalidOperationException($"pmd on core {p.CoreId}: {reply.Error}");
                }
            }
        }
    }

    /// <summary>Zeroes every PMD's counters.</summary>
    public void ClearPmdStats()
    {
        lock (gate)
        {
            foreach (PmdThread p in pmds)
            {
                Check(p.Call(PmdCommand.StatsClear()));
            }
        }
    }

    /// <summary>
    /// Re-places every rx queue (pmd-rxq-rebalance). <see cref="RxqAssignment.Cycles"/> puts the busiest
    /// queues first, each onto the PMD with the least load so far, by the busy cycles measured since start.
    /// </summary>
    public void Rebalance(RxqAssignment mode)
    {
        lock (gate)
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

            var pmdLoad = new long[pmds.Length];
            for (int i = 0; i < queues.Count; i++)
            {
                var (port, queue, load) = queues[i];
                int target = mode == RxqAssignment.RoundRobin ? i % pmds.Length : Array.IndexOf(pmdLoad, pmdLoad.Min());
                pmdLoad[target] += load;
                Move(port, queue, placement[(port, queue)], pmds[target]);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            DisposeLocked();
        }
    }

    private void DisposeLocked()
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

    private void Move(uint port, int queue, PmdThread from, PmdThread to)
    {
        if (ReferenceEquals(from, to))
        {
            return;
        }

        // Stop polling on the old PMD before the new one starts: one poller per queue at any time. The
        // command rings order the old PMD's last use of the queue (and its pool) before the new PMD's first.
        IRxQueue rxq = ports[port].GetRxQueue(queue);
        Check(from.Call(PmdCommand.RxqDel(port, rxq)));
        Check(to.Call(PmdCommand.RxqAdd(port, rxq)));
        placement[(port, queue)] = to;
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
