using System.Numerics;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// A bounded multi-producer, multi-consumer ring of frame offsets with burst operations, as DPDK's
/// rte_ring in MP/MC mode: the shared free list of a <see cref="FrameRegion"/>, which the per-queue
/// <see cref="PacketPool"/> caches refill from and spill to, a burst at a time.
/// </summary>
/// <remarks>
/// A producer reserves slots by moving the producer head with a compare-and-swap, writes them, then waits
/// for earlier producers to publish before it moves the producer tail; consumers mirror that. Nothing
/// blocks, but a producer preempted between reserving and publishing makes later ones spin: bursts keep
/// that window a few dozen stores wide.
/// </remarks>
internal sealed unsafe class FrameRing : IDisposable
{
    private readonly uint* slots;
    private readonly long mask;
    private readonly long capacity;
    private Indexes idx;

    /// <summary>A ring holding at most <paramref name="capacity"/> offsets.</summary>
    public FrameRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        uint size = BitOperations.RoundUpToPowerOf2((uint)capacity);
        mask = size - 1;
        slots = (uint*)NativeMemory.AlignedAlloc(size * sizeof(uint), 64);
    }

    /// <summary>Offsets in the ring now (exact when no operation is in flight).</summary>
    public int Count => (int)(Volatile.Read(ref idx.ProdTail) - Volatile.Read(ref idx.ConsTail));

    /// <summary>Adds as many of <paramref name="items"/> as fit; returns how many.</summary>
    public int Enqueue(ReadOnlySpan<uint> items)
    {
        long head;
        int n;
        while (true)
        {
            head = Volatile.Read(ref idx.ProdHead);
            long free = capacity - (head - Volatile.Read(ref idx.ConsTail));
            n = (int)Math.Min(items.Length, free);
            if (n <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref idx.ProdHead, head + n, head) == head)
            {
                break;
            }
        }

        for (int i = 0; i < n; i++)
        {
            slots[(head + i) & mask] = items[i];
        }

        SpinUntil(ref idx.ProdTail, head);
        Volatile.Write(ref idx.ProdTail, head + n);
        return n;
    }

    /// <summary>Takes up to <c>dest.Length</c> offsets into <paramref name="dest"/>; returns how many.</summary>
    public int Dequeue(Span<uint> dest)
    {
        long head;
        int n;
        while (true)
        {
            head = Volatile.Read(ref idx.ConsHead);
            long available = Volatile.Read(ref idx.ProdTail) - head;
            n = (int)Math.Min(dest.Length, available);
            if (n <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref idx.ConsHead, head + n, head) == head)
            {
                break;
            }
        }

        for (int i = 0; i < n; i++)
        {
            dest[i] = slots[(head + i) & mask];
        }

        SpinUntil(ref idx.ConsTail, head);
        Volatile.Write(ref idx.ConsTail, head + n);
        return n;
    }

    /// <summary>Appends the offsets in the ring to <paramref name="list"/> without taking them (for audits while nothing runs).</summary>
    public void CopyTo(List<uint> list)
    {
        for (long i = Volatile.Read(ref idx.ConsTail), end = Volatile.Read(ref idx.ProdTail); i < end; i++)
        {
            list.Add(slots[i & mask]);
        }
    }

    /// <inheritdoc />
    public void Dispose() => NativeMemory.AlignedFree(slots);

    private static void SpinUntil(ref long tail, long value)
    {
        // Earlier reservations publish first, so the tail only ever covers fully written slots.
        var spin = default(SpinWait);
        while (Volatile.Read(ref tail) != value)
        {
            spin.SpinOnce(-1);
        }
    }

    // Producer and consumer indexes on their own cache lines: producers and consumers run on different cores.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Indexes
    {
        [FieldOffset(0)]
        public long ProdHead;

        [FieldOffset(64)]
        public long ProdTail;

        [FieldOffset(128)]
        public long ConsHead;

        [FieldOffset(192)]
        public long ConsTail;
    }
}
