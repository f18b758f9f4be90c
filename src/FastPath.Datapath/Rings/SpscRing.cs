using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Datapath.Rings;

/// <summary>
/// A bounded, lock-free, single-producer single-consumer ring of power-of-two size. A full ring refuses
/// (the producer drops and counts); nothing ever blocks. Slots are written and read in place through
/// <see cref="TryReserve"/>/<see cref="Publish"/> and <see cref="TryPeek"/>/<see cref="Release"/>, so
/// large elements (packet copies) are not copied twice.
/// </summary>
/// <remarks>
/// The head and tail live on their own cache lines, and each side keeps a cached copy of the other's
/// index, so the two cores share a line only when the cached view runs out (as in DPDK's rte_ring and
/// Lamport's queue). Publication order on x86 and ARM is given by Volatile.Write (release) and
/// Volatile.Read (acquire).
/// </remarks>
public sealed class SpscRing<T>
{
    private readonly T[] slots;
    private readonly int mask;
    private RingIndexes idx;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots (a power of two).</summary>
    public SpscRing(int capacity)
    {
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "ring capacity must be a power of two, at least 2");
        }

        slots = new T[capacity];
        mask = capacity - 1;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => slots.Length;

    /// <summary>Elements queued now (approximate when read by a third thread).</summary>
    public int Count => (int)(Volatile.Read(ref idx.Tail) - Volatile.Read(ref idx.Head));

    /// <summary>Producer: a reference to the next free slot, or a null reference when the ring is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T TryReserve(out bool reserved)
    {
        long tail = idx.Tail;
        if (tail - idx.CachedHead >= slots.Length)
        {
            idx.CachedHead = Volatile.Read(ref idx.Head);
            if (tail - idx.CachedHead >= slots.Length)
            {
                reserved = false;
                return ref Unsafe.NullRef<T>();
            }
        }

        reserved = true;
        return ref slots[(int)tail & mask];
    }

    /// <summary>Producer: makes the slot returned by <see cref="TryReserve"/> visible to the consumer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish() => Volatile.Write(ref idx.Tail, idx.Tail + 1);

    /// <summary>Producer: copies <paramref name="item"/> in; false when the ring is full.</summary>
    public bool TryEnqueue(T item)
    {
        ref T slot = ref TryReserve(out bool ok);
        if (!ok)
        {
            return false;
        }

        slot = item;
        Publish();
        return true;
    }

    /// <summary>Consumer: a reference to the oldest element, or a null reference when the ring is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T TryPeek(out bool available)
    {
        long head = idx.Head;
        if (head == idx.CachedTail)
        {
            idx.CachedTail = Volatile.Read(ref idx.Tail);
            if (head == idx.CachedTail)
            {
                available = false;
                return ref Unsafe.NullRef<T>();
            }
        }

        available = true;
        return ref slots[(int)head & mask];
    }

    /// <summary>Consumer: frees the slot returned by <see cref="TryPeek"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Let the GC reclaim what the slot referenced.
            slots[(int)idx.Head & mask] = default!;
        }

        Volatile.Write(ref idx.Head, idx.Head + 1);
    }

    /// <summary>Consumer: takes the oldest element; false when the ring is empty.</summary>
    public bool TryDequeue(out T item)
    {
        ref T slot = ref TryPeek(out bool ok);
        if (!ok)
        {
            item = default!;
            return false;
        }

        item = slot;
        Release();
        return true;
    }
}
