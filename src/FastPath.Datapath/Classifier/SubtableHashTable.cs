using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// One subtable's hash table of (hash, flow id) pairs: 64-byte <see cref="Bucket"/>s probed linearly, each
/// with an overflow count so a probe stops at the first bucket nothing ever passed. It grows by doubling,
/// incrementally: the old buckets drain into the new table a few at a time, and until they are empty a
/// probe looks in both tables, so no insert ever moves the whole table at once.
/// </summary>
/// <remarks>
/// <para>
/// During a migration every entry lives in exactly one of the two tables, and each table keeps its own
/// overflow counts exact, so each stays a valid table on its own: an insert goes to the new table, a remove
/// takes the entry from whichever holds it, and draining an old bucket is a remove there and an insert here.
/// Each <see cref="Insert"/> drains at most <see cref="DrainPerInsert"/> old buckets. Growing from N to 2N
/// buckets happens at 4N entries and the next growth at 8N, while draining N buckets takes N/4 inserts,
/// so a migration always ends before the next one begins. <see cref="Drain"/> lets the owner finish it
/// sooner in idle time.
/// </para>
/// <para>
/// Touching fresh memory is the other stall: a page fault took about 40 µs on the test machine (a VM whose
/// host backs memory lazily), so 64 inserts landing on 64 untouched pages of a just-grown table would cost
/// milliseconds. Once the table is half full it allocates its successor and writes one page of it every
/// <see cref="InsertsPerPrefaultPage"/> inserts; the successor (2N buckets, N/32 pages) is fully faulted in
/// after N/2 inserts, long before the 2N more that make the table grow. The price is memory: the successor
/// exists from half load on, and drained tables are kept (see <c>retired</c>), so a subtable's buckets
/// take up to about four times the current table; for a million flows that is tens of megabytes beside
/// the 256 MB of flow records.
/// </para>
/// <para>
/// A struct embedded in its <see cref="Subtable"/>, so a lookup reaches the buckets through the subtable
/// pointer it already holds. Never copy it.
/// </para>
/// </remarks>
[SkipLocalsInit]
internal unsafe struct SubtableHashTable
{
    /// <summary>Most old buckets one <see cref="Insert"/> drains: the bound on an insert's rehash work.</summary>
    public const int DrainPerInsert = 4;

    /// <summary>Inserts per page of the next table written in advance (see remarks on page faults).</summary>
    public const int InsertsPerPrefaultPage = 16;

    /// <summary>Buckets of a new table.</summary>
    public const int InitialBuckets = 2;

    // The table grows when its flows exceed this many per bucket (4 of 7 slots): few buckets overflow.
    private const int FlowsPerBucket = 4;

    private const int PageSize = 4096;

    // 2^32 / golden ratio. CRC32C is linear, so structured keys (consecutive addresses) can land on
    // structured hashes; multiplying and taking the top bits spreads them over the buckets.
    private const uint BucketMultiplier = 0x9E3779B1;

    // Probed on every lookup: kept together at the front. The whole struct is one cache line, so the
    // subtable's key layout follows on the next (the old table is always half the new one: its mask and
    // shift are derived, not stored).
    private Bucket* buckets;
    private Bucket* old;
    private uint mask;
    private int shift;

    private uint drainCursor;
    private int count;
    private int growAt;
    private int bucketsDrained;

    // Drained tables, linked through their first word, kept until the table is disposed: unmapping one
    // stalled the caller for milliseconds (the TLB shootdown waits for every core). Together they are
    // smaller than the current table.
    private void* retired;

    // The successor table, allocated and faulted in ahead of the growth that will use it.
    private Bucket* next;
    private uint nextFaulted;
    private int prefaultCredit;

    /// <summary>Allocates an empty table of <see cref="InitialBuckets"/> buckets.</summary>
    public void Init()
    {
        this = default;
        buckets = AllocBuckets(InitialBuckets);
        SetGeometry(InitialBuckets, out mask, out shift, out growAt);
    }

    /// <summary>Entries in both tables.</summary>
    public readonly int Count => count;

    /// <summary>Whether old buckets are still draining (a probe then looks in both tables).</summary>
    public readonly bool IsMigrating => old != null;

    /// <summary>Buckets of the current (new) table.</summary>
    public readonly int BucketCount => (int)mask + 1;

    /// <summary>Old buckets drained since the table was made: the rehash work done, for tests.</summary>
    public readonly int BucketsDrained => bucketsDrained;

    /// <summary>Home bucket of hash <paramref name="h"/> in the current table, for prefetching.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Bucket* HomeBucket(uint h) => buckets + Home(h, shift);

    /// <summary>
    /// False only when hash <paramref name="h"/> cannot be in the table (its home bucket neither holds the
    /// hash nor ever overflowed, and nothing is draining); otherwise <paramref name="firstCandidate"/> is the
    /// first id in the home bucket with that hash, or -1, worth prefetching.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool MayContain(uint h, out int firstCandidate)
    {
        Bucket* b = buckets + Home(h, shift);
        uint lanes = MatchLanes(b, h);
        firstCandidate = lanes != 0 ? b->Ids[BitOperations.TrailingZeroCount(lanes)] - 1 : -1;
        return lanes != 0 || b->Hashes[Bucket.OverflowLane] != 0 || old != null;
    }

    /// <summary>The id with hash <paramref name="h"/> that <paramref name="matcher"/> accepts, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Find<TMatcher>(uint h, ref TMatcher matcher)
        where TMatcher : IFlowIdMatcher, allows ref struct
    {
        int id = Probe(buckets, mask, shift, h, ref matcher);
        if (id < 0 && old != null)
        {
            id = FindInOld(h, matcher);
        }

        return id;
    }

    /// <summary>
    /// Adds (<paramref name="h"/>, <paramref name="id"/>), which must not be present; starts a migration
    /// when the table is full, and drains at most <see cref="DrainPerInsert"/> old buckets.
    /// </summary>
    public void Insert(uint h, int id)
    {
        if (count >= growAt)
        {
            StartGrowing();
        }

        Place(buckets, mask, shift, h, id);
        count++;
        if (old != null)
        {
            Drain(DrainPerInsert);
        }

        if (count >= growAt / 2)
        {
            Prefault();
        }
    }

    /// <summary>Removes (<paramref name="h"/>, <paramref name="id"/>) from whichever table holds it.</summary>
    public void Remove(uint h, int id)
    {
        if (!Take(buckets, mask, shift, h, id) && (old == null || !Take(old, mask >> 1, shift + 1, h, id)))
        {
            throw new InvalidOperationException($"megaflow {id} missing from its subtable");
        }

        count--;
    }

    /// <summary>
    /// Drains up to <paramref name="maxBuckets"/> old buckets; returns how many it drained (0 when not migrating).
    /// The emptied old table is kept, unmapped only when the table is disposed.
    /// </summary>
    public int Drain(int maxBuckets)
    {
        int done = 0;
        while (old != null && done < maxBuckets)
        {
            DrainBucket(drainCursor++);
            done++;
            if (drainCursor > mask >> 1)
            {
                *(void**)old = retired;
                retired = old;
                old = null;
            }
        }

        bucketsDrained += done;
        return done;
    }

    /// <summary>Frees both tables; <paramref name="later"/> frees them off the calling thread (for a PMD that must not pause).</summary>
    public void Dispose(bool later = false)
    {
        if (buckets != null)
        {
            Free(buckets, later);
        }

        if (old != null)
        {
            Free(old, later);
        }

        if (next != null)
        {
            Free(next, later);
        }

        while (retired != null)
        {
            void* b = retired;
            retired = *(void**)b;
            Free((Bucket*)b, later);
        }

        this = default;

        static void Free(Bucket* b, bool later)
        {
            if (later)
            {
                AlignedMemory.FreeLater(b);
            }
            else
            {
                AlignedMemory.Free(b);
            }
        }
    }

    /// <summary>The current table's home bucket index of hash <paramref name="h"/> (tests measure probe distances with it).</summary>
    internal readonly uint HomeIndex(uint h) => Home(h, shift);

    /// <summary>Slot <paramref name="slot"/> of current bucket <paramref name="bucket"/>: its hash and flow id, or id -1 if free.</summary>
    internal readonly (uint Hash, int Id) SlotAt(uint bucket, int slot)
    {
        Bucket* b = buckets + (bucket & mask);
        return (b->Hashes[slot], b->Ids[slot] - 1);
    }

    /// <summary>The overflow count of current bucket <paramref name="bucket"/>.</summary>
    internal readonly uint OverflowAt(uint bucket) => buckets[bucket & mask].Hashes[Bucket.OverflowLane];

    /// <summary>Bit i set when slot i of <paramref name="b"/> holds hash <paramref name="h"/> (free slots may show too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MatchLanes(Bucket* b, uint h)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            return Vector256.Equals(Vector256.Load(b->Hashes), Vector256.Create(h)).ExtractMostSignificantBits() & Bucket.SlotLanes;
        }

        uint lo = Vector128.Equals(Vector128.Load(b->Hashes), Vector128.Create(h)).ExtractMostSignificantBits();
        uint hi = Vector128.Equals(Vector128.Load(b->Hashes + 4), Vector128.Create(h)).ExtractMostSignificantBits();
        return (lo | (hi << 4)) & Bucket.SlotLanes;
    }

    // Out of line, and the matcher by value so the caller's copy can stay in registers: a migration is
    // brief, and a second inlined probe made the lookup loops a third larger and measurably slower.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly int FindInOld<TMatcher>(uint h, TMatcher matcher)
        where TMatcher : IFlowIdMatcher, allows ref struct => Probe(old, mask >> 1, shift + 1, h, ref matcher);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Home(uint h, int shift) => (uint)((ulong)(h * BucketMultiplier) >> shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Probe<TMatcher>(Bucket* table, uint mask, int shift, uint h, ref TMatcher matcher)
        where TMatcher : IFlowIdMatcher, allows ref struct
    {
        uint bi = Home(h, shift);
        while (true)
        {
            Bucket* b = table + bi;
            for (uint lanes = MatchLanes(b, h); lanes != 0; lanes &= lanes - 1)
            {
                int id1 = b->Ids[BitOperations.TrailingZeroCount(lanes)];
                if (id1 != 0 && matcher.Matches(id1 - 1))
                {
                    return id1 - 1;
                }
            }

            if (b->Hashes[Bucket.OverflowLane] == 0)
            {
                return -1;
            }

            bi = (bi + 1) & mask;
        }
    }

    /// <summary>Puts the entry in the first free slot from its home bucket on, counting the overflow in every full bucket passed.</summary>
    private static void Place(Bucket* table, uint mask, int shift, uint h, int id)
    {
        uint bi = Home(h, shift);
        while (true)
        {
            Bucket* b = table + bi;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] == 0)
                {
                    b->Hashes[j] = h;
                    b->Ids[j] = id + 1;
                    return;
                }
            }

            b->Hashes[Bucket.OverflowLane]++;
            bi = (bi + 1) & mask;
        }
    }

    /// <summary>Frees the entry's slot and takes back the overflow counts its placing left on the way; false (nothing changed) if absent.</summary>
    private static bool Take(Bucket* table, uint mask, int shift, uint h, int id)
    {
        uint home = Home(h, shift);
        uint bi = home;
        while (true)
        {
            Bucket* b = table + bi;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] == id + 1)
                {
                    b->Ids[j] = 0;
                    b->Hashes[j] = 0;
                    Unpass(table, mask, home, bi);
                    return true;
                }
            }

            // Nothing placed beyond a bucket that never overflowed started at or before it.
            if (b->Hashes[Bucket.OverflowLane] == 0)
            {
                return false;
            }

            bi = (bi + 1) & mask;
        }
    }

    /// <summary>Takes back one overflow count in each bucket from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    private static void Unpass(Bucket* table, uint mask, uint from, uint to)
    {
        for (uint bi = from; bi != to; bi = (bi + 1) & mask)
        {
            table[bi].Hashes[Bucket.OverflowLane]--;
        }
    }

    private void StartGrowing()
    {
        if (old != null)
        {
            // Unreachable by the arithmetic in the remarks; finishing keeps the invariant if that ever changes.
            Drain(int.MaxValue);
        }


        old = buckets;
        drainCursor = 0;
        uint grown = (mask + 1) * 2;
        buckets = next != null ? next : AllocBuckets(grown);
        next = null;
        nextFaulted = 0;
        SetGeometry(grown, out mask, out shift, out growAt);
    }

    /// <summary>Allocates the successor table if needed and writes one more of its pages every few inserts.</summary>
    private void Prefault()
    {
        uint bytes = (mask + 1) * 2 * (uint)sizeof(Bucket);
        if (next == null)
        {
            next = AllocBuckets((mask + 1) * 2);
            nextFaulted = 0;
            prefaultCredit = 0;
        }

        if (nextFaulted >= bytes || ++prefaultCredit < InsertsPerPrefaultPage)
        {
            return;
        }

        // A write (a read would map the shared zero page) to the page's first byte, which is zero already.
        prefaultCredit = 0;
        Volatile.Write(ref *((byte*)next + nextFaulted), 0);
        nextFaulted += PageSize;
    }

    /// <summary>Moves every entry of old bucket <paramref name="bi"/> to the new table.</summary>
    private void DrainBucket(uint bi)
    {
        Bucket* b = old + bi;
        for (int j = 0; j < Bucket.Slots; j++)
        {
            int id1 = b->Ids[j];
            if (id1 != 0)
            {
                uint h = b->Hashes[j];
                b->Ids[j] = 0;
                b->Hashes[j] = 0;
                Unpass(old, mask >> 1, Home(h, shift + 1), bi);
                Place(buckets, mask, shift, h, id1 - 1);
            }
        }
    }

    private static Bucket* AllocBuckets(uint count) => (Bucket*)AlignedMemory.AllocZeroed(count * (nuint)sizeof(Bucket));

    private static void SetGeometry(uint count, out uint mask, out int shift, out int growAt)
    {
        mask = count - 1;
        shift = 32 - BitOperations.Log2(count);
        growAt = (int)Math.Min(count * (long)FlowsPerBucket, int.MaxValue);
    }
}
