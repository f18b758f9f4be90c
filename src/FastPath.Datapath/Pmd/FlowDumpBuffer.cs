using System.Collections;
using System.Runtime.InteropServices;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;

namespace FastPath.Datapath.Pmd;

/// <summary>
/// Caller-owned room that one FlowDump chunk is copied into, so the PMD allocates nothing while it dumps
/// (an allocation on a PMD thread can start a collection that stops forwarding). Reuse it chunk after chunk;
/// reading an entry makes its <see cref="DatapathFlow"/> on the reading thread.
/// </summary>
public sealed class FlowDumpBuffer : IReadOnlyList<DatapathFlow>
{
    // Room per flow for its actions: an output or two and a rewrite fit many times over.
    private const int ActionBytesPerFlow = 64;

    private readonly Entry[] entries;
    private byte[] actions;
    private int actionsUsed;

    /// <summary>The last dump command made for this buffer, reused for the next chunk once answered (see
    /// <see cref="PmdFlowDumps.ForEachChunk"/>).</summary>
    internal PmdCommand? Command { get; set; }

    /// <summary>Room for <paramref name="capacity"/> flows (1 to <see cref="PmdCommand.MaxDumpChunk"/>).</summary>
    public FlowDumpBuffer(int capacity = PmdCommand.DefaultDumpChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, PmdCommand.MaxDumpChunk);
        entries = new Entry[capacity];
        actions = new byte[capacity * ActionBytesPerFlow];

        // The runtime hands out fresh pages without writing them; write them here, so that the PMD's first
        // chunk does not take the page faults (measured: 0.9 ms for a 1024-flow buffer on this project's VM).
        MemoryMarshal.AsBytes(entries.AsSpan()).Clear();
        actions.AsSpan().Clear();
    }

    /// <summary>Most flows one chunk can hold.</summary>
    public int Capacity => entries.Length;

    /// <summary>Flows in the last chunk.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Set by the PMD when the first flow of a chunk had more action bytes than the whole buffer: the chunk is
    /// empty and resumes at that flow. <see cref="PmdFlowDumps"/> grows the buffer to this and asks again.
    /// </summary>
    public int ActionBytesNeeded { get; private set; }

    /// <summary>Flow <paramref name="index"/> of the last chunk, copied out of the buffer.</summary>
    public DatapathFlow this[int index]
    {
        get
        {
            ref readonly Entry e = ref EntryAt(index);
            return new DatapathFlow(e.Match, actions.AsSpan(e.ActionsOffset, e.ActionsLength).ToArray(), e.Stats.Packets, e.Stats.Bytes, e.Stats.TcpFlags, e.Stats.Used);
        }
    }

    /// <summary>The match of flow <paramref name="index"/> of the last chunk, read in place (no copy, no allocation).</summary>
    public ref readonly FlowMatch MatchAt(int index) => ref EntryAt(index).Match;

    /// <summary>The action program of flow <paramref name="index"/> of the last chunk, read in place.</summary>
    public ReadOnlySpan<byte> ActionsAt(int index)
    {
        ref readonly Entry e = ref EntryAt(index);
        return actions.AsSpan(e.ActionsOffset, e.ActionsLength);
    }

    /// <summary>The counters of flow <paramref name="index"/> of the last chunk.</summary>
    public MegaflowStats StatsAt(int index) => EntryAt(index).Stats;

    /// <summary>Makes room for action programs of <paramref name="bytes"/> bytes; call between chunks, never while a dump command is in flight.</summary>
    public void EnsureActionBytes(int bytes)
    {
        if (bytes > actions.Length)
        {
            actions = new byte[bytes];
        }
    }

    /// <inheritdoc/>
    public IEnumerator<DatapathFlow> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ref readonly Entry EntryAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return ref entries[index];
    }

    /// <summary>Empties the buffer for the next chunk (PMD thread).</summary>
    internal void Clear()
    {
        Count = 0;
        actionsUsed = 0;
        ActionBytesNeeded = 0;
    }

    /// <summary>Appends one flow, or returns false when the buffer is full (PMD thread; allocates nothing).</summary>
    internal bool TryAdd(in FlowMatch match, ReadOnlySpan<byte> flowActions, in MegaflowStats stats)
    {
        if (Count == entries.Length)
        {
            return false;
        }

        if (flowActions.Length > actions.Length - actionsUsed)
        {
            if (Count == 0)
            {
                ActionBytesNeeded = flowActions.Length;
            }

            return false;
        }

        flowActions.CopyTo(actions.AsSpan(actionsUsed));
        entries[Count++] = new Entry { Match = match, Stats = stats, ActionsOffset = actionsUsed, ActionsLength = flowActions.Length };
        actionsUsed += flowActions.Length;
        return true;
    }

    private struct Entry
    {
        public FlowMatch Match;
        public MegaflowStats Stats;
        public int ActionsOffset;
        public int ActionsLength;
    }
}
