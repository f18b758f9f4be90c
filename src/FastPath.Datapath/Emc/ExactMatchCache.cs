using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FastPath.Datapath.Classifier;
using FastPath.Packets;

namespace FastPath.Datapath.Emc;

/// <summary>
/// A PMD's exact-match cache: a table from a packet's full <see cref="FlowKey"/> to the megaflow that
/// last matched it, in front of the <see cref="MegaflowClassifier"/>. Entries live in unmanaged memory;
/// owned by one thread, no locks.
/// </summary>
/// <remarks>
/// <para>
/// Direct-mapped (<see cref="Ways"/> = 1): a key can live in one entry only, <c>hash &amp; mask</c>.
/// Two-way (<see cref="Ways"/> = 2), as Open vSwitch's EMC: a key can also live in a second entry picked
/// by the next bits of the hash (the hash rotated right by log2(entries), which for Open vSwitch's 8192
/// entries is its <c>hash &gt;&gt; 13</c>); a lookup probes both, and an insert refreshes the entry that
/// already holds the key, else fills an empty one, else replaces the one whose key has the lower hash
/// (Open vSwitch's deterministic choice). Two keys that collide on one entry can then both stay cached.
/// </para>
/// <para>
/// An entry stores the megaflow's id and generation, and a lookup only hits if the classifier still
/// holds that flow (<see cref="MegaflowClassifier.IsLive"/>), so removing or flushing megaflows makes
/// their entries miss without touching the cache. Insertion is probabilistic (once in
/// <see cref="InsertInverseProbability"/> megaflow hits, Open vSwitch's emc-insert-inv-prob) so traffic
/// with far more flows than entries does not keep evicting the flows that are worth caching.
/// </para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class ExactMatchCache : IDisposable
{
    /// <summary>Default number of entries (as in Open vSwitch).</summary>
    public const int DefaultEntries = 8192;

    /// <summary>Default inverse insertion probability (as in Open vSwitch).</summary>
    public const int DefaultInsertInverseProbability = 100;

    // Distinct odd multipliers per word position and lane: every single-word change alters its lane.
    private static readonly Vector256<ulong> M0 = Vector256.Create(0x9E3779B97F4A7C15UL, 0xC2B2AE3D27D4EB4FUL, 0x165667B19E3779F9UL, 0xD6E8FEB86659FD93UL);
    private static readonly Vector256<ulong> M1 = Vector256.Create(0xFF51AFD7ED558CCDUL, 0xC4CEB9FE1A85EC53UL, 0x87C37B91114253D5UL, 0x4CF5AD432745937FUL);
    private static readonly Vector256<ulong> M2 = Vector256.Create(0xBF58476D1CE4E5B9UL, 0x94D049BB133111EBUL, 0xA0761D6478BD642FUL, 0xE7037ED1A0B428DBUL);
    private static readonly Vector256<ulong> M3 = Vector256.Create(0x8EBC6AF09C88C6E3UL, 0x589965CC75374CC3UL, 0x1D8E4E27C47D124FUL, 0x2127599BF4325C37UL);

    private readonly uint indexMask;
    private readonly int secondShift;
    private readonly bool twoWay;
    private EmcSlot* slots;
    private FlowKey* keys;
    private int inverseProbability;
    private uint threshold;
    private uint rng = 0x2545F491;
    private ulong insertions;

    /// <summary>
    /// Creates an empty cache of <paramref name="entries"/> entries (a power of two) that inserts once
    /// in <paramref name="insertInverseProbability"/> offers (1: always, 0: never), direct-mapped
    /// (<paramref name="ways"/> = 1) or two-way set-associative (2).
    /// </summary>
    public ExactMatchCache(int entries = DefaultEntries, int insertInverseProbability = DefaultInsertInverseProbability, int ways = 1)
    {
        if (entries <= 0 || !BitOperations.IsPow2(entries) || entries > (1 << 24))
        {
            throw new ArgumentOutOfRangeException(nameof(entries), "entries must be a power of two, at most 2^24");
        }

        if (ways is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(ways), "ways must be 1 (direct-mapped) or 2 (two-way)");
        }

        Capacity = entries;
        Ways = ways;
        twoWay = ways == 2;
        indexMask = (uint)entries - 1;
        secondShift = BitOperations.Log2((uint)entries);
        slots = (EmcSlot*)NativeMemory.AlignedAlloc((nuint)entries * (nuint)sizeof(EmcSlot), 64);
        keys = (FlowKey*)NativeMemory.AlignedAlloc((nuint)entries * FlowKey.Size, 64);
        NativeMemory.Clear(keys, (nuint)entries * FlowKey.Size);
        Clear();
        InsertInverseProbability = insertInverseProbability;
    }

    /// <summary>Frees the unmanaged memory if <see cref="Dispose"/> was not called.</summary>
    ~ExactMatchCache() => FreeAll();

    /// <summary>Number of entries.</summary>
    public int Capacity { get; }

    /// <summary>Entries a key may occupy: 1 (direct-mapped) or 2 (two-way, as Open vSwitch).</summary>
    public int Ways { get; }

    /// <summary>
    /// N of "insert with probability 1/N": 1 inserts every offer, 0 disables the cache (and empties it).
    /// </summary>
    public int InsertInverseProbability
    {
        get => inverseProbability;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            inverseProbability = value;
            threshold = value == 0 ? 0 : uint.MaxValue / (uint)value;
            if (value == 0 && slots != null)
            {
                Clear();
            }
        }
    }

    /// <summary>Whether entries are inserted at all.</summary>
    public bool Enabled => inverseProbability != 0;

    /// <summary>Entries written since creation (offers that passed the coin toss, plus forced inserts).</summary>
    public ulong Insertions => insertions;

    /// <summary>
    /// The full-key hash the cache is indexed by; computed once per packet by the PMD. Four
    /// multiply-accumulate lanes over the sixteen words (SIMD), then CRC32C over the lanes so the
    /// low bits, which pick the entry, depend on every key bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(in FlowKey key)
    {
        ref ulong w = ref Unsafe.As<FlowKey, ulong>(ref Unsafe.AsRef(in key));
        Vector256<ulong> v = (Vector256.LoadUnsafe(ref w) * M0) + (Vector256.LoadUnsafe(ref w, 4) * M1)
            + (Vector256.LoadUnsafe(ref w, 8) * M2) + (Vector256.LoadUnsafe(ref w, 12) * M3);
        uint h = Crc32c.Append(0, v.GetElement(0));
        h = Crc32c.Append(h, v.GetElement(1));
        h = Crc32c.Append(h, v.GetElement(2));
        return Crc32c.Append(h, v.GetElement(3));
    }

    /// <summary>
    /// Starts loading the entry for <paramref name="hash"/> into the cache, so that a <see cref="Lookup"/>
    /// a few packets later does not stall on memory when the cache is larger than L2 (many flows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint hash)
    {
        if (Sse.IsSupported && slots != null)
        {
            uint i = hash & indexMask;
            Sse.Prefetch0(slots + i);
            Sse.Prefetch0(keys + i);
            Sse.Prefetch0((byte*)(keys + i) + 64);
            if (twoWay)
            {
                uint j = SecondIndex(hash);
                Sse.Prefetch0(slots + j);
                Sse.Prefetch0(keys + j);
                Sse.Prefetch0((byte*)(keys + j) + 64);
            }
        }
    }

    /// <summary>
    /// The megaflow cached for <paramref name="key"/> (whose <see cref="Hash"/> is <paramref name="hash"/>),
    /// or -1 if the entry holds another key or its megaflow is no longer in <paramref name="classifier"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(in FlowKey key, uint hash, MegaflowClassifier classifier)
    {
        if (slots == null)
        {
            ThrowDisposed();
        }

        // A key is never cached in both entries (Insert refreshes the one that has it), so the first
        // entry holding the key decides, live or stale.
        ref ulong k = ref Unsafe.As<FlowKey, ulong>(ref Unsafe.AsRef(in key));
        uint i = hash & indexMask;
        EmcSlot* s = slots + i;
        if (s->Hash != hash || !KeysEqual(ref Unsafe.As<FlowKey, ulong>(ref keys[i]), ref k))
        {
            if (!twoWay)
            {
                return -1;
            }

            i = SecondIndex(hash);
            s = slots + i;
            if (s->Hash != hash || !KeysEqual(ref Unsafe.As<FlowKey, ulong>(ref keys[i]), ref k))
            {
                return -1;
            }
        }

        return classifier.IsLive(s->FlowId, s->Generation) ? s->FlowId : -1;
    }

    /// <summary>
    /// Offers a classifier hit for caching: with probability 1/<see cref="InsertInverseProbability"/>
    /// the key is cached as <see cref="Insert"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MaybeInsert(in FlowKey key, uint hash, int flowId, uint generation)
    {
        if (inverseProbability != 1)
        {
            if (inverseProbability == 0)
            {
                return;
            }

            // xorshift32: a few cycles, no allocation, good enough for a coin toss.
            uint x = rng;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            rng = x;
            if (x > threshold)
            {
                return;
            }
        }

        Insert(key, hash, flowId, generation);
    }

    /// <summary>
    /// Caches <paramref name="key"/> unconditionally (even when the cache is disabled): direct-mapped, in
    /// its one entry; two-way, in the entry that already holds it, else an empty one, else the one whose
    /// key has the lower hash.
    /// </summary>
    public void Insert(in FlowKey key, uint hash, int flowId, uint generation)
    {
        if (slots == null)
        {
            ThrowDisposed();
        }

        uint i = hash & indexMask;
        if (twoWay)
        {
            i = Victim(key, hash, i, SecondIndex(hash));
        }

        keys[i] = key;
        EmcSlot* s = slots + i;
        s->Hash = hash;
        s->FlowId = flowId;
        s->Generation = generation;
        insertions++;
    }

    /// <summary>Empties every entry.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(slots == null, this);
        for (int i = 0; i < Capacity; i++)
        {
            slots[i] = new EmcSlot { Hash = 0, FlowId = -1, Generation = 0 };
        }
    }

    /// <summary>Frees the unmanaged memory; the cache is unusable afterwards.</summary>
    public void Dispose()
    {
        FreeAll();
        GC.SuppressFinalize(this);
    }

    /// <summary>Number of entries holding a key (for tests and diagnostics; scans the whole cache).</summary>
    internal int CountOccupied()
    {
        int n = 0;
        for (int i = 0; i < Capacity; i++)
        {
            n += slots[i].FlowId >= 0 ? 1 : 0;
        }

        return n;
    }

    /// <summary>The second entry a key may occupy in a two-way cache: the hash bits above the first index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint SecondIndex(uint hash) => BitOperations.RotateRight(hash, secondShift) & indexMask;

    private uint Victim(in FlowKey key, uint hash, uint first, uint second)
    {
        ref ulong k = ref Unsafe.As<FlowKey, ulong>(ref Unsafe.AsRef(in key));
        EmcSlot* a = slots + first;
        EmcSlot* b = slots + second;
        if (a->Hash == hash && a->FlowId >= 0 && KeysEqual(ref Unsafe.As<FlowKey, ulong>(ref keys[first]), ref k))
        {
            return first;
        }

        if (b->Hash == hash && b->FlowId >= 0 && KeysEqual(ref Unsafe.As<FlowKey, ulong>(ref keys[second]), ref k))
        {
            return second;
        }

        if (a->FlowId < 0)
        {
            return first;
        }

        if (b->FlowId < 0)
        {
            return second;
        }

        return b->Hash < a->Hash ? second : first;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool KeysEqual(ref ulong a, ref ulong b)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ulong> d = (Vector256.LoadUnsafe(ref a) ^ Vector256.LoadUnsafe(ref b))
                | (Vector256.LoadUnsafe(ref a, 4) ^ Vector256.LoadUnsafe(ref b, 4))
                | (Vector256.LoadUnsafe(ref a, 8) ^ Vector256.LoadUnsafe(ref b, 8))
                | (Vector256.LoadUnsafe(ref a, 12) ^ Vector256.LoadUnsafe(ref b, 12));
            return d == Vector256<ulong>.Zero;
        }

        Vector128<ulong> e = Vector128<ulong>.Zero;
        for (nuint i = 0; i < FlowKey.Words; i += 2)
        {
            e |= Vector128.LoadUnsafe(ref a, i) ^ Vector128.LoadUnsafe(ref b, i);
        }

        return e == Vector128<ulong>.Zero;
    }

    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(ExactMatchCache));

    private void FreeAll()
    {
        if (slots != null)
        {
            NativeMemory.AlignedFree(slots);
            NativeMemory.AlignedFree(keys);
            slots = null;
            keys = null;
        }
    }
}
