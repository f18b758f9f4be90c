using FastPath.Datapath.Flows;
using FastPath.Datapath.Ports;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// One request on a PMD's command ring; the PMD fills in the result fields and hands the same object
/// back on its reply ring, so answering allocates nothing on the PMD thread.
/// </summary>
public sealed class PmdCommand
{
    private bool completed;

    private PmdCommand(PmdCommandKind kind) => Kind = kind;

    /// <summary>What to do.</summary>
    public PmdCommandKind Kind { get; }

    /// <summary>Megaflow match (FlowPut, FlowDel).</summary>
    public FlowMatch Match;

    /// <summary>Action program (FlowPut, Execute).</summary>
    public byte[]? Actions { get; private init; }

    /// <summary>Packet bytes (Execute).</summary>
    public byte[]? Packet { get; private init; }

    /// <summary>Port number (PortAdd, PortDel, RxqAdd, RxqDel, Execute's in_port).</summary>
    public uint PortNo { get; private init; }

    /// <summary>Transmit queue (PortAdd).</summary>
    public ITxQueue? TxQueue { get; private init; }

    /// <summary>The lock of a transmit queue that several PMDs share (PortAdd); null when this PMD owns the queue.</summary>
    public Lock? TxLock { get; private init; }

    /// <summary>Receive queue (RxqAdd, RxqDel).</summary>
    public IRxQueue? RxQueue { get; private init; }

    /// <summary>Whether the PMD has answered (set last, after every result field).</summary>
    public bool IsCompleted => Volatile.Read(ref completed);

    /// <summary>
    /// Set by <see cref="PmdThreadCalls.Call"/>: the caller waits on <see cref="IsCompleted"/>, so the answer
    /// does not go to the reply ring (whose single consumer may be another thread).
    /// </summary>
    public bool IsSynchronous { get; internal set; }

    /// <summary>Result: whether the PMD did it.</summary>
    public bool Ok { get; internal set; }

    /// <summary>Result: why not.</summary>
    public string? Error { get; internal set; }

    /// <summary>Result of FlowPut: the megaflow's id in the PMD's classifier.</summary>
    public int FlowId { get; internal set; } = -1;

    /// <summary>Result of StatsRequest.</summary>
    public PmdStatsSnapshot Stats { get; internal set; }

    /// <summary>Result of FlowDump.</summary>
    public List<DatapathFlow> Flows { get; } = [];

    /// <summary>Install (or modify) a megaflow.</summary>
    public static PmdCommand FlowPut(in FlowMatch match, byte[] actions) => new(PmdCommandKind.FlowPut) { Match = match, Actions = actions };

    /// <summary>Delete a megaflow.</summary>
    public static PmdCommand FlowDel(in FlowMatch match) => new(PmdCommandKind.FlowDel) { Match = match };

    /// <summary>Delete all megaflows.</summary>
    public static PmdCommand Flush() => new(PmdCommandKind.Flush);

    /// <summary>Run <paramref name="actions"/> on a copy of <paramref name="packet"/> as if it came in on <paramref name="inPort"/>.</summary>
    public static PmdCommand Execute(byte[] packet, uint inPort, byte[] actions) => new(PmdCommandKind.Execute) { Packet = packet, PortNo = inPort, Actions = actions };

    /// <summary>Output to <paramref name="portNo"/> goes to <paramref name="txq"/>.</summary>
    public static PmdCommand PortAdd(uint portNo, ITxQueue txq) => new(PmdCommandKind.PortAdd) { PortNo = portNo, TxQueue = txq };

    /// <summary>Output to <paramref name="portNo"/> goes to <paramref name="txq"/>, shared with other PMDs under <paramref name="txLock"/>.</summary>
    public static PmdCommand PortAdd(uint portNo, ITxQueue txq, Lock? txLock) => new(PmdCommandKind.PortAdd) { PortNo = portNo, TxQueue = txq, TxLock = txLock };

    /// <summary>Forget port <paramref name="portNo"/> and stop polling its queues.</summary>
    public static PmdCommand PortDel(uint portNo) => new(PmdCommandKind.PortDel) { PortNo = portNo };

    /// <summary>Poll <paramref name="rxq"/>, whose packets come in on <paramref name="portNo"/>.</summary>
    public static PmdCommand RxqAdd(uint portNo, IRxQueue rxq) => new(PmdCommandKind.RxqAdd) { PortNo = portNo, RxQueue = rxq };

    /// <summary>Stop polling <paramref name="rxq"/>.</summary>
    public static PmdCommand RxqDel(uint portNo, IRxQueue rxq) => new(PmdCommandKind.RxqDel) { PortNo = portNo, RxQueue = rxq };

    /// <summary>Snapshot the counters.</summary>
    public static PmdCommand StatsRequest() => new(PmdCommandKind.StatsRequest);

    /// <summary>Zero the counters.</summary>
    public static PmdCommand StatsClear() => new(PmdCommandKind.StatsClear);

    /// <summary>List the megaflows.</summary>
    public static PmdCommand FlowDump() => new(PmdCommandKind.FlowDump);

    /// <summary>Marks the command answered; the PMD calls it after filling in the results.</summary>
    internal void Complete() => Volatile.Write(ref completed, true);
}
