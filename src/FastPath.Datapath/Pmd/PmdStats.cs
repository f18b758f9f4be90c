namespace FastPath.Datapath.Pmd;

/// <summary>A PMD's counters, as pmd-stats-show prints them. Written only by the PMD thread.</summary>
public struct PmdStatsSnapshot
{
    /// <summary>
    /// Megaflows the PMD holds when the snapshot is taken (a gauge, not a counter, and not zeroed by StatsClear):
    /// counting them this way takes one round trip, where walking them took one per chunk of flows.
    /// </summary>
    public long Megaflows;
    /// <summary>Packets received from rx queues.</summary>
    public long Packets;
    /// <summary>
    /// Packets forwarded by their port's port-only megaflow without a parse or a lookup (Open vSwitch's "simple
    /// match hits"; see <see cref="Classifier.MegaflowClassifier.PortOnlyFlow"/>).
    /// </summary>
    public long SimpleMatchHits;
    /// <summary>Packets that hit the exact-match cache.</summary>
    public long EmcHits;
    /// <summary>Packets that missed the EMC and hit the megaflow classifier.</summary>
    public long MegaflowHits;
    /// <summary>Subtables searched for the megaflow hits (for the average per hit).</summary>
    public long SubtableLookups;
    /// <summary>Packets that matched no megaflow.</summary>
    public long Misses;
    /// <summary>Misses queued to the slow path.</summary>
    public long Upcalls;
    /// <summary>Upcalls dropped because the upcall ring was full.</summary>
    public long LostUpcalls;
    /// <summary>Userspace-action upcalls queued.</summary>
    public long ActionUpcalls;
    /// <summary>Packets the actions dropped (no output, TTL expired).</summary>
    public long ActionDrops;
    /// <summary>Packets output to a port the PMD does not know.</summary>
    public long TxUnknownPort;
    /// <summary>Packet clones that failed for lack of frames.</summary>
    public long CloneFailures;
    /// <summary>TSC cycles spent in iterations that received packets.</summary>
    public long BusyCycles;
    /// <summary>TSC cycles spent in iterations that received nothing.</summary>
    public long IdleCycles;
    /// <summary>Poll loop iterations.</summary>
    public long Iterations;
    /// <summary>Commands processed.</summary>
    public long Commands;
    /// <summary>Commands that failed with an unexpected exception (a bug), answered with an error.</summary>
    public long CommandFaults;
    /// <summary>Poll iterations cut short by an unexpected exception (a bug in a port or the packet path); the PMD went on.</summary>
    public long PacketFaults;
    /// <summary>Misses not upcalled because an upcall for the same key was already in flight.</summary>
    public long UpcallsSuppressed;
    /// <summary>
    /// TSC cycles of the longest poll iteration: the worst time the PMD went without polling its queues
    /// (a long command, a rehash, or the thread losing its core). One compare per iteration.
    /// </summary>
    public long MaxIterationCycles;

    /// <summary>Batches handed to tx queues (counted per batch, not per packet).</summary>
    public long OutputBatches;
    /// <summary>Packets in those batches.</summary>
    public long OutputPackets;

    /// <summary>Average packets per batch sent (OVS's "avg. packets per output batch").</summary>
    public readonly double AvgPacketsPerOutputBatch => OutputBatches == 0 ? 0 : (double)OutputPackets / OutputBatches;

    /// <summary>Packets that found their megaflow: by simple match, in the EMC or in the classifier.</summary>
    public readonly long Hits => SimpleMatchHits + EmcHits + MegaflowHits;

    /// <summary>Average subtables searched per megaflow hit.</summary>
    public readonly double AvgSubtableLookupsPerHit => MegaflowHits == 0 ? 0 : (double)SubtableLookups / MegaflowHits;

    /// <summary>Total cycles per received packet (OVS's "avg cycles per packet").</summary>
    public readonly double CyclesPerPacket => Packets == 0 ? 0 : (double)(BusyCycles + IdleCycles) / Packets;

    /// <summary>Busy cycles per received packet (OVS's "avg processing cycles per packet").</summary>
    public readonly double ProcessingCyclesPerPacket => Packets == 0 ? 0 : (double)BusyCycles / Packets;
}
