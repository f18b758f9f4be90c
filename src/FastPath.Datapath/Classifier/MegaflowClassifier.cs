using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Classifier;

/// <summary>
/// The PMD's megaflow table: tuple space search over one hash table per distinct mask, with flows,
/// keys, actions and tables all in unmanaged memory so a million flows cost the GC nothing.
/// Owned by one thread (its PMD): no locks, and no method may be called from another thread.
/// </summary>
/// <remarks>
/// <para>
/// A lookup visits subtables in rank order (<see cref="Resort"/> ranks them by recent hits) and
/// returns the first megaflow that matches. Megaflows may overlap; that is harmless because the
/// slow path only installs a megaflow whose actions are correct for every packet it matches, so
/// any match is a right answer and no priority is kept.
/// </para>
/// <para>
/// A flow is named by an id (its slot, reused after removal) and the slot's generation, which
/// changes on every removal; caches holding (id, generation) detect stale entries with
/// <see cref="IsLive"/>. Flow slots are allocated in fixed chunks that never move, so the
/// reference returned by <see cref="GetStats"/> stays valid until the classifier is disposed.
/// </para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class MegaflowClassifier : IDisposable
{
    /// <summary>Default flow limit: the per-PMD limit of Open vSwitch's userspace datapath.</summary>
    public const int DefaultCapacity = 65536;

    /// <summary>Largest capacity accepted (64 Mi flows, 16 GiB of flow records).</summary>
    public const int MaxCapacity = 1 << 26;

    /// <summary>Most keys <see cref="LookupBatch"/> takes at once (one PMD rx batch).</summary>
    public const int MaxBatch = 32;

    private const int ChunkShift = 12;
    private const int ChunkRecords = 1 << ChunkShift;
    private const int InitialBuckets = 2;

    // A subtable grows when its flows exceed this many per bucket (4 of 7 slots): few buckets overflow.
    private const int FlowsPerBucket = 4;

    // 2^32 / golden ratio. CRC32C is linear, so structured keys (consecutive addresses) can land on
    // structured hashes; multiplying and taking the top bits spreads them over the buckets.
    private const uint BucketMultiplier = 0x9E3779B1;

    private readonly int capacity;
    private readonly int maxChunks;
    private FlowRecord** chunks;
    private int chunkCount;
    private int highWater;
    private int freeHead = -1;
    private int count;

    private Subtable* subtables;
    private int* order;
    private int subtableSlots;
    private int subtableCount;

    private ulong hits;
    private ulong misses;
    private ulong hitSubtableLookups;

    /// <summary>Creates an empty classifier that holds at most <paramref name="capacity"/> megaflows.</summary>
    public MegaflowClassifier(int capacity = DefaultCapacity)
    {
        if (capacity <= 0 || capacity > MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity must be 1..{MaxCapacity}");
        }

        this.capacity = capacity;
        maxChunks = (capacity + ChunkRecords - 1) >> ChunkShift;
        chunks = (FlowRecord**)NativeMemory.AllocZeroed((nuint)maxChunks, (nuint)sizeof(FlowRecord*));
        subtableSlots = 8;
        subtables = (Subtable*)NativeMemory.AllocZeroed((nuint)subtableSlots, (nuint)sizeof(Subtable));
        order = (int*)NativeMemory.Alloc((nuint)subtableSlots, sizeof(int));
    }

    /// <summary>Frees the unmanaged memory if <see cref="Dispose"/> was not called.</summary>
    ~MegaflowClassifier() => FreeAll();

    /// <summary>Most megaflows the classifier accepts.</summary>
    public int Capacity => capacity;

    /// <summary>Megaflows installed.</summary>
    public int Count => count;

    /// <summary>Distinct masks among the installed megaflows.</summary>
    public int SubtableCount => subtableCount;

    /// <summary>Lookups (single or batched, per key) that found a megaflow.</summary>
    public ulong Hits => hits;

    /// <summary>Lookups (per key) that found none.</summary>
    public ulong Misses => misses;

    /// <summary>
    /// Subtables searched by the lookups that hit, summed; divided by <see cref="Hits"/> it is the
    /// "avg. subtable lookups per megaflow hit" of the PMD statistics.
    /// </summary>
    public ulong HitSubtableLookups => hitSubtableLookups;

    /// <summary>Ids of the installed megaflows, in id order; removing flows while enumerating is allowed.</summary>
    public MegaflowIdEnumerator LiveIds() => new(this);

    internal int HighWater => highWater;

    /// <summary>
    /// Installs a megaflow, or, if one with an identical key and mask exists, replaces its actions and
    /// keeps its id, generation and stats (a datapath flow-put that modifies).
    /// </summary>
    /// <returns>The flow's id, or -1 if the classifier is full.</returns>
    public int Insert(in FlowMatch match, ReadOnlySpan<byte> actions)
    {
        ThrowIfDisposed();
        ulong* compact = stackalloc ulong[FlowKey.Words];
        int s = FindSubtable(match.Mask);
        Subtable* st;
        uint h;
        if (s >= 0)
        {
            st = subtables + s;
            h = Compact(st, match.Key, compact);
            int existing = FindCompact(st, h, compact);
            if (existing >= 0)
            {
                SetActions(Rec(existing), actions);
                return existing;
            }
        }

        if (count >= capacity)
        {
            return -1;
        }

        if (s < 0)
        {
            s = CreateSubtable(match.Mask);
        }

        st = subtables + s;
        h = Compact(st, match.Key, compact);
        int id = AllocId();
        FlowRecord* r = Rec(id);
        r->Stats = default;
        r->Subtable = s;
        r->Hash = h;
        r->HeapActions = null;
        r->ActionsLength = 0;
        int n = st->WordCount;
        for (int i = 0; i < FlowKey.Words; i++)
        {
            r->Key[i] = i < n ? compact[i] : 0;
        }

        SetActions(r, actions);
        if (st->Count >= st->GrowAt)
        {
            Rehash(st, (st->BucketMask + 1) * 2);
        }

        TableInsert(st, h, id);
        st->Count++;
        count++;
        return id;
    }

    /// <summary>Id of the megaflow with exactly this key and mask, or -1.</summary>
    public int Find(in FlowMatch match)
    {
        ThrowIfDisposed();
        int s = FindSubtable(match.Mask);
        if (s < 0)
        {
            return -1;
        }

        Subtable* st = subtables + s;
        ulong* compact = stackalloc ulong[FlowKey.Words];
        uint h = Compact(st, match.Key, compact);
        return FindCompact(st, h, compact);
    }

    /// <summary>Removes megaflow <paramref name="id"/>; false if no such flow is installed.</summary>
    public bool Remove(int id)
    {
        if ((uint)id >= (uint)highWater)
        {
            return false;
        }

        FlowRecord* r = Rec(id);
        int s = r->Subtable;
        if (s < 0)
        {
            return false;
        }

        Subtable* st = subtables + s;
        TableRemove(st, r->Hash, id);
        if (--st->Count == 0)
        {
            DestroySubtable(s);
        }

        FreeRecord(id, r);
        return true;
    }

    /// <summary>Removes the megaflow with exactly this key and mask; false if there is none.</summary>
    public bool Remove(in FlowMatch match) => Remove(Find(match));

    /// <summary>Removes every megaflow; every id's generation changes, so caches see all entries as stale.</summary>
    public void Flush()
    {
        ThrowIfDisposed();

        // Link free slots in ascending order so a refilled table hands out low ids first.
        freeHead = -1;
        for (int id = highWater - 1; id >= 0; id--)
        {
            FlowRecord* r = Rec(id);
            if (r->Subtable >= 0)
            {
                FreeActions(r);
                r->Subtable = -1;
                r->Generation++;
            }

            r->NextFree = freeHead;
            freeHead = id;
        }

        while (subtableCount > 0)
        {
            DestroySubtable(order[subtableCount - 1]);
        }

        count = 0;
    }

    /// <summary>Id of a megaflow matching <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(in FlowKey key) => Lookup(key, out _);

    /// <summary>
    /// Id of a megaflow matching <paramref name="key"/>, or -1; <paramref name="subtablesSearched"/>
    /// tells how many subtables were visited (all of them on a miss).
    /// </summary>
    public int Lookup(in FlowKey key, out int subtablesSearched)
    {
        ref ulong kw = ref Unsafe.As<FlowKey, ulong>(ref Unsafe.AsRef(in key));
        int n = subtableCount;
        int* ord = order;
        Subtable* sts = subtables;
        for (int p = 0; p < n; p++)
        {
            Subtable* st = sts + ord[p];
            uint h = HashPacket(st, ref kw);
            int id = FindPacket(st, h, ref kw);
            if (id >= 0)
            {
                st->Hits++;
                hits++;
                hitSubtableLookups += (ulong)(p + 1);
                subtablesSearched = p + 1;
                return id;
            }
        }

        misses++;
        subtablesSearched = n;
        return -1;
    }

    /// <summary>
    /// Looks up up to <see cref="MaxBatch"/> keys at once, subtable by subtable, so each subtable's
    /// hashing, table probes and key fetches for the whole batch overlap their cache misses.
    /// </summary>
    /// <param name="keys">The packets' keys.</param>
    /// <param name="ids">Receives, per key, the id of a matching megaflow or -1; at least as long as <paramref name="keys"/>.</param>
    /// <returns>
    /// Subtables searched by the keys that found a megaflow, summed (a key found in the k-th subtable
    /// counts k), for the PMD's lookups-per-hit statistic; hits are the ids that are not -1.
    /// </returns>
    public int LookupBatch(ReadOnlySpan<FlowKey> keys, Span<int> ids)
    {
        int cnt = keys.Length;
        if ((uint)cnt > MaxBatch || ids.Length < cnt)
        {
            ThrowBadBatch(cnt, ids.Length);
        }

        ref FlowKey k0 = ref MemoryMarshal.GetReference(keys);
        ref int id0 = ref MemoryMarshal.GetReference(ids);
        for (int i = 0; i < cnt; i++)
        {
            Unsafe.Add(ref id0, i) = -1;
        }

        uint* hashes = stackalloc uint[MaxBatch];
        uint missing = cnt == MaxBatch ? uint.MaxValue : (1u << cnt) - 1;
        int found = 0;
        int searched = 0;
        int n = subtableCount;
        for (int p = 0; p < n && missing != 0; p++)
        {
            Subtable* st = subtables + order[p];
            Bucket* buckets = st->Buckets;

            // Pass 1: hash every key still missing and start fetching its home bucket.
            for (uint m = missing; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                uint h = HashPacket(st, ref Unsafe.As<FlowKey, ulong>(ref Unsafe.Add(ref k0, i)));
                hashes[i] = h;
                if (Sse.IsSupported)
                {
                    Sse.Prefetch0(buckets + HomeBucket(st, h));
                }
            }

            // Pass 2: drop keys whose home bucket rules them out; start fetching the first candidate's key.
            uint check = 0;
            for (uint m = missing; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                uint h = hashes[i];
                Bucket* b = buckets + HomeBucket(st, h);
                uint lanes = MatchLanes(b, h);
                if (lanes != 0)
                {
                    int id1 = b->Ids[BitOperations.TrailingZeroCount(lanes)];
                    if (Sse.IsSupported && id1 != 0)
                    {
                        Sse.Prefetch0(Rec(id1 - 1)->Key);
                    }

                    check |= 1u << i;
                }
                else if (b->Hashes[Bucket.OverflowLane] != 0)
                {
                    check |= 1u << i;
                }
            }

            // Pass 3: compare keys (the full walk, now over cached lines).
            for (uint m = check; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                int id = FindPacket(st, hashes[i], ref Unsafe.As<FlowKey, ulong>(ref Unsafe.Add(ref k0, i)));
                if (id >= 0)
                {
                    Unsafe.Add(ref id0, i) = id;
                    missing &= ~(1u << i);
                    st->Hits++;
                    searched += p + 1;
                    found++;
                }
            }
        }

        hits += (ulong)found;
        misses += (ulong)(cnt - found);
        hitSubtableLookups += (ulong)searched;
        return searched;
    }

    /// <summary>
    /// Re-ranks subtables by hits since the last call, most hit first, and resets the hit counts.
    /// The PMD calls this periodically (about once a second) so busy masks are searched first.
    /// </summary>
    public void Resort()
    {
        int* ord = order;
        for (int i = 1; i < subtableCount; i++)
        {
            int s = ord[i];
            ulong h = subtables[s].Hits;
            int j = i - 1;
            while (j >= 0 && subtables[ord[j]].Hits < h)
            {
                ord[j + 1] = ord[j];
                j--;
            }

            ord[j + 1] = s;
        }

        for (int i = 0; i < subtableCount; i++)
        {
            subtables[ord[i]].Hits = 0;
        }
    }

    /// <summary>Zeroes <see cref="Hits"/>, <see cref="Misses"/> and <see cref="HitSubtableLookups"/>.</summary>
    public void ResetCounters()
    {
        hits = 0;
        misses = 0;
        hitSubtableLookups = 0;
    }

    /// <summary>
    /// The action program of megaflow <paramref name="id"/>, in unmanaged memory; valid until the flow is
    /// removed or its actions replaced.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetActions(int id)
    {
        FlowRecord* r = LiveRecord(id);
        return new ReadOnlySpan<byte>(r->HeapActions != null ? r->HeapActions : r->InlineActions, r->ActionsLength);
    }

    /// <summary>Counters of megaflow <paramref name="id"/>, updated in place by the owning thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref MegaflowStats GetStats(int id) => ref LiveRecord(id)->Stats;

    /// <summary>Generation of the installed megaflow <paramref name="id"/>, to store next to the id in a cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint GetGeneration(int id) => LiveRecord(id)->Generation;

    /// <summary>Whether <paramref name="id"/> still names the flow it named when its generation was <paramref name="generation"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLive(int id, uint generation)
    {
        if ((uint)id >= (uint)highWater)
        {
            return false;
        }

        FlowRecord* r = Rec(id);
        return r->Generation == generation && r->Subtable >= 0;
    }

    /// <summary>The key and mask of megaflow <paramref name="id"/> (for dumps and the slow path; copies 256 bytes).</summary>
    public FlowMatch GetMatch(int id)
    {
        FlowRecord* r = LiveRecord(id);
        Subtable* st = subtables + r->Subtable;
        FlowMatch m = default;
        m.Mask = st->Mask;
        Span<ulong> k = m.Key.AsWords;
        for (int i = 0; i < st->WordCount; i++)
        {
            k[st->WordIndex[i]] = r->Key[i];
        }

        return m;
    }

    /// <summary>Frees all unmanaged memory; the classifier is empty and unusable afterwards.</summary>
    public void Dispose()
    {
        FreeAll();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether slot <paramref name="id"/> holds an installed flow.</summary>
    internal bool IsSlotLive(int id) => (uint)id < (uint)highWater && Rec(id)->Subtable >= 0;

    /// <summary>For tests: buckets, flows, overflowed buckets, and the mean and worst distance (in buckets) of a flow from its home, for the subtable of rank <paramref name="rank"/>.</summary>
    internal (int Buckets, int Flows, int Overflowed, double MeanDistance, int MaxDistance) ProbeStats(int rank)
    {
        Subtable* st = subtables + order[rank];
        long total = 0;
        int max = 0;
        int overflowed = 0;
        for (uint bi = 0; bi <= st->BucketMask; bi++)
        {
            Bucket* b = st->Buckets + bi;
            overflowed += b->Hashes[Bucket.OverflowLane] != 0 ? 1 : 0;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] != 0)
                {
                    int d = (int)((bi - HomeBucket(st, b->Hashes[j])) & st->BucketMask);
                    total += d;
                    max = Math.Max(max, d);
                }
            }
        }

        return ((int)st->BucketMask + 1, st->Count, overflowed, st->Count == 0 ? 0 : (double)total / st->Count, max);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FlowRecord* Rec(int id) => chunks[id >> ChunkShift] + (id & (ChunkRecords - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FlowRecord* LiveRecord(int id)
    {
        if ((uint)id >= (uint)highWater)
        {
            ThrowNoFlow(id);
        }

        FlowRecord* r = Rec(id);
        if (r->Subtable < 0)
        {
            ThrowNoFlow(id);
        }

        return r;
    }

    /// <summary>Hash of the packet key's words under the subtable's mask; equals <see cref="Compact"/>'s hash of a stored key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HashPacket(Subtable* st, ref ulong kw)
    {
        uint h = 0;
        int n = st->WordCount;
        for (int i = 0; i < n; i++)
        {
            h = Crc32c.Append(h, Unsafe.Add(ref kw, st->WordIndex[i]) & st->MaskWords[i]);
        }

        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HomeBucket(Subtable* st, uint h) => (uint)((ulong)(h * BucketMultiplier) >> st->Shift);

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

    /// <summary>Id of the flow with hash <paramref name="h"/> in <paramref name="st"/> whose key the packet matches, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindPacket(Subtable* st, uint h, ref ulong kw)
    {
        uint bi = HomeBucket(st, h);
        while (true)
        {
            Bucket* b = st->Buckets + bi;
            for (uint lanes = MatchLanes(b, h); lanes != 0; lanes &= lanes - 1)
            {
                int id1 = b->Ids[BitOperations.TrailingZeroCount(lanes)];
                if (id1 != 0 && KeyMatches(st, Rec(id1 - 1), ref kw))
                {
                    return id1 - 1;
                }
            }

            if (b->Hashes[Bucket.OverflowLane] == 0)
            {
                return -1;
            }

            bi = (bi + 1) & st->BucketMask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool KeyMatches(Subtable* st, FlowRecord* r, ref ulong kw)
    {
        // Plain ulong compares: gathering the masked words into a buffer for a Vector256
        // compare measured 3x slower at 2-8 words (the vector load stalls on the stores).
        int n = st->WordCount;
        ulong diff = 0;
        for (int i = 0; i < n; i++)
        {
            diff |= r->Key[i] ^ (Unsafe.Add(ref kw, st->WordIndex[i]) & st->MaskWords[i]);
        }

        return diff == 0;
    }

    /// <summary>Writes the subtable's words of <paramref name="key"/> (masked) to <paramref name="compact"/> and returns their hash.</summary>
    private static uint Compact(Subtable* st, in FlowKey key, ulong* compact)
    {
        ReadOnlySpan<ulong> kw = key.ReadOnlyWords;
        uint h = 0;
        for (int i = 0; i < st->WordCount; i++)
        {
            ulong w = kw[st->WordIndex[i]] & st->MaskWords[i];
            compact[i] = w;
            h = Crc32c.Append(h, w);
        }

        return h;
    }

    private int FindCompact(Subtable* st, uint h, ulong* compact)
    {
        uint bi = HomeBucket(st, h);
        while (true)
        {
            Bucket* b = st->Buckets + bi;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] != 0 && b->Hashes[j] == h)
                {
                    FlowRecord* r = Rec(b->Ids[j] - 1);
                    bool same = true;
                    for (int i = 0; i < st->WordCount && same; i++)
                    {
                        same = r->Key[i] == compact[i];
                    }

                    if (same)
                    {
                        return b->Ids[j] - 1;
                    }
                }
            }

            if (b->Hashes[Bucket.OverflowLane] == 0)
            {
                return -1;
            }

            bi = (bi + 1) & st->BucketMask;
        }
    }

    /// <summary>Puts the flow in the first free slot from its home bucket on, counting the overflow in every full bucket passed.</summary>
    private static void TableInsert(Subtable* st, uint h, int id)
    {
        uint bi = HomeBucket(st, h);
        while (true)
        {
            Bucket* b = st->Buckets + bi;
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
            bi = (bi + 1) & st->BucketMask;
        }
    }

    /// <summary>Frees the flow's slot and takes back the overflow counts its insert left on the way.</summary>
    private static void TableRemove(Subtable* st, uint h, int id)
    {
        uint bi = HomeBucket(st, h);
        for (uint walked = 0; walked <= st->BucketMask; walked++)
        {
            Bucket* b = st->Buckets + bi;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] == id + 1)
                {
                    b->Ids[j] = 0;
                    b->Hashes[j] = 0;
                    return;
                }
            }

            b->Hashes[Bucket.OverflowLane]--;
            bi = (bi + 1) & st->BucketMask;
        }

        throw new InvalidOperationException($"megaflow {id} missing from its subtable");
    }

    private static void SetBuckets(Subtable* st, uint buckets)
    {
        nuint bytes = buckets * (nuint)sizeof(Bucket);
        st->Buckets = (Bucket*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(st->Buckets, bytes);
        st->BucketMask = buckets - 1;
        st->Shift = 32 - BitOperations.Log2(buckets);
        st->GrowAt = (int)Math.Min(buckets * (long)FlowsPerBucket, int.MaxValue);
    }

    private static void Rehash(Subtable* st, uint buckets)
    {
        Bucket* old = st->Buckets;
        uint oldCount = st->BucketMask + 1;
        SetBuckets(st, buckets);
        for (uint bi = 0; bi < oldCount; bi++)
        {
            Bucket* b = old + bi;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                if (b->Ids[j] != 0)
                {
                    TableInsert(st, b->Hashes[j], b->Ids[j] - 1);
                }
            }
        }

        NativeMemory.AlignedFree(old);
    }

    private int FindSubtable(in FlowKey mask)
    {
        for (int p = 0; p < subtableCount; p++)
        {
            int s = order[p];
            if (subtables[s].Mask.Equals(mask))
            {
                return s;
            }
        }

        return -1;
    }

    private int CreateSubtable(in FlowKey mask)
    {
        int s = -1;
        for (int i = 0; i < subtableSlots; i++)
        {
            if (!subtables[i].InUse)
            {
                s = i;
                break;
            }
        }

        if (s < 0)
        {
            int grown = subtableSlots * 2;
            subtables = (Subtable*)NativeMemory.Realloc(subtables, (nuint)grown * (nuint)sizeof(Subtable));
            NativeMemory.Clear(subtables + subtableSlots, (nuint)(grown - subtableSlots) * (nuint)sizeof(Subtable));
            order = (int*)NativeMemory.Realloc(order, (nuint)grown * sizeof(int));
            s = subtableSlots;
            subtableSlots = grown;
        }

        Subtable* st = subtables + s;
        *st = default;
        st->InUse = true;
        st->Mask = mask;
        ReadOnlySpan<ulong> mw = mask.ReadOnlyWords;
        int n = 0;
        for (int w = 0; w < FlowKey.Words; w++)
        {
            if (mw[w] != 0)
            {
                st->WordIndex[n] = (byte)w;
                st->MaskWords[n] = mw[w];
                n++;
            }
        }

        st->WordCount = n;
        SetBuckets(st, InitialBuckets);

        // A new mask starts last: it has no hits yet, and the next Resort places it.
        order[subtableCount++] = s;
        return s;
    }

    private void DestroySubtable(int s)
    {
        Subtable* st = subtables + s;
        NativeMemory.AlignedFree(st->Buckets);
        st->Buckets = null;
        st->InUse = false;
        st->Count = 0;
        int p = 0;
        while (order[p] != s)
        {
            p++;
        }

        for (; p < subtableCount - 1; p++)
        {
            order[p] = order[p + 1];
        }

        subtableCount--;
    }

    private int AllocId()
    {
        if (freeHead >= 0)
        {
            int id = freeHead;
            freeHead = Rec(id)->NextFree;
            return id;
        }

        if ((highWater >> ChunkShift) == chunkCount)
        {
            nuint bytes = (nuint)ChunkRecords * (nuint)sizeof(FlowRecord);
            var chunk = (FlowRecord*)NativeMemory.AlignedAlloc(bytes, 64);
            NativeMemory.Clear(chunk, bytes);
            chunks[chunkCount++] = chunk;
        }

        return highWater++;
    }

    private void FreeRecord(int id, FlowRecord* r)
    {
        FreeActions(r);
        r->Subtable = -1;
        r->Generation++;
        r->NextFree = freeHead;
        freeHead = id;
        count--;
    }

    private static void SetActions(FlowRecord* r, ReadOnlySpan<byte> actions)
    {
        FreeActions(r);
        byte* dst = r->InlineActions;
        if (actions.Length > FlowRecord.InlineActionsCapacity)
        {
            dst = (byte*)NativeMemory.Alloc((nuint)actions.Length);
            r->HeapActions = dst;
        }

        actions.CopyTo(new Span<byte>(dst, actions.Length));
        r->ActionsLength = actions.Length;
    }

    private static void FreeActions(FlowRecord* r)
    {
        if (r->HeapActions != null)
        {
            NativeMemory.Free(r->HeapActions);
            r->HeapActions = null;
        }

        r->ActionsLength = 0;
    }

    private void FreeAll()
    {
        if (chunks == null)
        {
            return;
        }

        for (int id = 0; id < highWater; id++)
        {
            FlowRecord* r = Rec(id);
            if (r->Subtable >= 0)
            {
                FreeActions(r);
            }
        }

        for (int i = 0; i < chunkCount; i++)
        {
            NativeMemory.AlignedFree(chunks[i]);
        }

        for (int i = 0; i < subtableSlots; i++)
        {
            if (subtables[i].InUse)
            {
                NativeMemory.AlignedFree(subtables[i].Buckets);
            }
        }

        NativeMemory.Free(chunks);
        NativeMemory.Free(subtables);
        NativeMemory.Free(order);
        chunks = null;
        subtables = null;
        order = null;
        chunkCount = 0;
        highWater = 0;
        subtableSlots = 0;
        subtableCount = 0;
        freeHead = -1;
        count = 0;
    }

    private void ThrowIfDisposed()
    {
        if (chunks == null)
        {
            throw new ObjectDisposedException(nameof(MegaflowClassifier));
        }
    }

    private static void ThrowNoFlow(int id) =>
        throw new ArgumentOutOfRangeException(nameof(id), $"no megaflow with id {id}");

    private static void ThrowBadBatch(int keys, int ids) =>
        throw new ArgumentException($"a batch takes 0..{MaxBatch} keys and an id span at least as long (got {keys} keys, {ids} ids)");
}
