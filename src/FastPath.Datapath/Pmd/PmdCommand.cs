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
    /// <summary>Flows one FlowDump command returns unless asked for fewer: small enough that building them is a short pause for the PMD.</summary>
    public const int DefaultDumpChunk = 1024;

    /// <summary>Most flows one FlowDump command may ask for.</summary>
    public const int MaxDumpChunk = 4096;

    private PmdCommand(PmdCommandKind kind) => Kind = kind;

    /// <summary>What to do.</summary>
    public PmdCommandKind Kind { get; private set; }

    /// <summary>Megaflow match (FlowPut, FlowDel).</summary>
    public FlowMatch Match;

    /// <summary>Action program (FlowPut, Execute).</summary>
    public byte[]? Actions { get; private set; }

    /// <summary>Packet bytes (Execute): the first <see cref="PacketLength"/> of them.</summary>
    public byte[]? Packet { get; private set; }

    /// <summary>How many bytes of <see cref="Packet"/> are the packet (Execute); a recycled command's buffer may be longer.</summary>
    public int PacketLength { get; private set; }

    /// <summary>Port number (PortAdd, PortDel, RxqAdd, RxqDel, Execute's in_port).</summary>
    public uint PortNo { get; private set; }

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

    /// <summary>SetEmcInsertInvProb: the new N of "insert with probability 1/N".</summary>
    public int EmcInsertInvProb { get; private init; }

    /// <summary>Result of StatsRequest.</summary>
    public PmdStatsSnapshot Stats { get; internal set; }

    /// <summary>FlowDump: where this chunk starts (0 for a new dump, then the previous chunk's <see cref="NextCursor"/>).</summary>
    public int Cursor { get; private set; }

    /// <summary>FlowDump: most flows this chunk returns.</summary>
    public int MaxFlows => Flows?.Capacity ?? 0;

    /// <summary>Result of FlowDump: the flows of this chunk, in the caller's buffer.</summary>
    public FlowDumpBuffer? Flows { get; private init; }

    /// <summary>Result of FlowDump: the cursor for the next chunk, or -1 when the dump is complete.</summary>
    public int NextCursor { get; internal set; } = -1;

    /// <summary>Install (or modify) a megaflow.</summary>
    public static PmdCommand FlowPut(in FlowMatch match, byte[] actions) => new(PmdCommandKind.FlowPut) { Match = match, Actions = actions };

    /// <summary>
    /// Makes this answered command a new FlowPut, so that a caller installing flows at a high rate (the slow
    /// path) recycles its commands instead of allocating one per flow; every collection stops the PMDs too.
    /// </summary>
    /// <exception cref="InvalidOperationException">The command has not been answered yet (the PMD may still read it).</exception>
    public void ReuseAsFlowPut(in FlowMatch match, byte[] actions)
    {
        Rearm(PmdCommandKind.FlowPut);
        Match = match;
        Actions = actions;
    }

    /// <summary>Makes this answered command a new FlowDel (see <see cref="ReuseAsFlowPut"/>).</summary>
    /// <exception cref="InvalidOperationException">The command has not been answered yet.</exception>
    public void ReuseAsFlowDel(in FlowMatch match)
    {
        Rearm(PmdCommandKind.FlowDel);
        Match = match;
        Actions = null;
    }

    /// <summary>Delete a megaflow.</summary>
    public static PmdCommand FlowDel(in FlowMatch match) => new(PmdCommandKind.FlowDel) { Match = match };

    /// <summary>Delete all megaflows.</summary>
    public static PmdCommand Flush() => new(PmdCommandKind.Flush);

    /// <summary>Run <paramref name="actions"/> on a copy of <paramref name="packet"/> as if it came in on <paramref name="inPort"/>.</summary>
    public static PmdCommand Execute(byte[] packet, uint inPort, byte[] actions) =>
        new(PmdCommandKind.Execute) { Packet = packet, PacketLength = packet.Length, PortNo = inPort, Actions = actions };

    /// <summary>
    /// Makes this answered command a new Execute of a copy of <paramref name="packet"/>, kept in the command's own
    /// buffer (grown when too short), so the slow path sends each miss's packet back without allocating.
    /// </summary>
    /// <exception cref="InvalidOperationException">The command has not been answered yet (the PMD may still read it).</exception>
    public void ReuseAsExecute(ReadOnlySpan<byte> packet, uint inPort, byte[] actions)
    {
        Rearm(PmdCommandKind.Execute);
        if (Packet is null || Packet.Length < packet.Length)
        {
            // Kept once grown: a pool's commands end up with buffers as long as its longest packets.
            Packet = new byte[Math.Max(packet.Length, 128)];
        }

        packet.CopyTo(Packet);
        PacketLength = packet.Length;
        PortNo = inPort;
        Actions = actions;
    }

    /// <summary>
    /// Output to <paramref name="portNo"/> goes to <paramref name="txq"/>: this PMD's own queue, or with <paramref name="txLock"/>
    /// a queue shared with other PMDs under that lock.
    /// </summary>
    public static PmdCommand PortAdd(uint portNo, ITxQueue txq, Lock? txLock = null) => new(PmdCommandKind.PortAdd) { PortNo = portNo, TxQueue = txq, TxLock = txLock };

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

    /// <summary>Sets the EMC's insertion probability to 1/<paramref name="inverseProbability"/> (0: no EMC).</summary>
    public static PmdCommand SetEmcInsertInvProb(int inverseProbability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inverseProbability);
        return new(PmdCommandKind.SetEmcInsertInvProb) { EmcInsertInvProb = inverseProbability };
    }

    // Only the flow commands and dump chunks are recycled: their inputs are Match and Actions (a dump's, its cursor,
    // set by ReuseAsFlowDump), and every result is reset here.
    private void Rearm(PmdCommandKind kind)
    {
        if (!IsCompleted)
        {
            throw new InvalidOperationException("a command can be reused only once the PMD has answered it");
        }

        Kind = kind;
        Ok = false;
        Error = null;
        FlowId = -1;
        IsSynchronous = false;
        Volatile.Write(ref completed, false);
    }

    /// <summary>Makes this answered FlowDump the dump's next chunk, from <paramref name="cursor"/>, into the same buffer.</summary>
    internal void ReuseAsFlowDump(int cursor)
    {
        Rearm(PmdCommandKind.FlowDump);
        Cursor = cursor;
        NextCursor = -1;
    }

    /// <summary>Marks the command answered; the PMD calls it after filling in the results.</summary>
    internal void Complete() => Volatile.Write(ref completed, true);
    /// <summary>
    /// List up to <paramref name="maxFlows"/> megaflows from <paramref name="cursor"/> on (one chunk of a dump;
    /// <see cref="PmdFlowDumps.DumpFlows"/> walks them all). A flow installed for the whole dump is listed
    /// exactly once, whatever is added or removed between chunks.
    /// </summary>
    public static PmdCommand FlowDump(int cursor = 0, int maxFlows = DefaultDumpChunk) => FlowDump(cursor, new FlowDumpBuffer(maxFlows));

    /// <summary>
    /// One chunk of a dump from <paramref name="cursor"/> into <paramref name="buffer"/> (as many flows as it
    /// holds); reuse the buffer for the next chunk once this command is answered.
    /// </summary>
    public static PmdCommand FlowDump(int cursor, FlowDumpBuffer buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentNullException.ThrowIfNull(buffer);
        return new(PmdCommandKind.FlowDump) { Cursor = cursor, Flows = buffer };
    }
}
