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
/// <see cref="IsLive"/>. Flow slots live in a <see cref="FlowRecordStore"/> of fixed chunks that never
/// move, so the reference returned by <see cref="GetStats"/> stays valid until the classifier is disposed.
/// Each subtable's (hash, id) pairs live in a <see cref="SubtableHashTable"/>, which grows incrementally.
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

    // A dump call examines at most this many slots per id it may return, so a sparse table (many freed
    // slots) cannot make one call long.
    private const int DumpSlotsPerId = 8;

    private readonly int capacity;

    // Not readonly: it is a mutable struct, and a readonly field would make every call work on a copy.
    private FlowRecordStore records;

    private Subtable* subtables;
    private int* order;
    private int subtableSlots;
    private int subtableCount;
    private int migrating;

    // Per in_port, the id of a megaflow that matches every packet received on that port (see PortOnlyFlow), or -1;
    // grown on demand up to MaxPortOnlyPort.
    private int[] portOnly = [];

    private ulong hits;
    private ulong misses;
    private ulong hitSubtableLookups;

    /// <summary>
    /// Creates an empty classifier that holds at most <paramref name="capacity"/> megaflows, their records on
    /// huge pages while the pool has them if <paramref name="useHugePages"/>.
    /// </summary>
    public MegaflowClassifier(int capacity = DefaultCapacity, bool useHugePages = true)
    {
        if (capacity <= 0 || capacity > MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity must be 1..{MaxCapacity}");
        }

        this.capacity = capacity;
        records = new FlowRecordStore(capacity, useHugePages);
        subtableSlots = 8;
        subtables = (Subtable*)AlignedMemory.AllocZeroed((nuint)subtableSlots * (nuint)sizeof(Subtable));
        order = (int*)NativeMemory.Alloc((nuint)subtableSlots, sizeof(int));
    }

    /// <summary>Frees the unmanaged memory if <see cref="Dispose"/> was not called.</summary>
    ~MegaflowClassifier() => FreeAll();

    /// <summary>Most megaflows the classifier accepts.</summary>
    public int Capacity => capacity;

    /// <summary>Megaflows installed.</summary>
    public int Count => records.Count;

    /// <summary>Distinct masks among the installed megaflows.</summary>
    public int SubtableCount => subtableCount;

    /// <summary>Highest in_port <see cref="PortOnlyFlow"/> keeps a megaflow for.</summary>
    public const int MaxPortOnlyPort = 65535;

    /// <summary>
    /// Id of an installed megaflow that every packet received on <paramref name="inPort"/> matches (its mask
    /// covers in_port and at most recirc_id and pkt_mark, both 0, as for any packet fresh from a port), or -1.
    /// </summary>
    /// <remarks>
    /// Such a megaflow is a right answer for every packet of the port whatever else is installed (overlap is
    /// harmless, see the class remarks), so the PMD may forward the port's packets without parsing them or
    /// looking them up, as Open vSwitch's simple match does.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PortOnlyFlow(uint inPort)
    {
        int[] table = portOnly;
        return inPort < (uint)table.Length ? table[inPort] : -1;
    }

    /// <summary>Lookups (single or batched, per key) that found a megaflow.</summary>
    public ulong Hits => hits;

    /// <summary>Lookups (per key) that found none.</summary>
    public ulong Misses => misses;

    /// <summary>
    /// Subtables searched by the lookups that hit, summed; divided by <see cref="Hits"/> it is the
    /// "avg. subtable lookups per megaflow hit" of the PMD statistics.
    /// </summary>
    public ulong HitSubtableLookups => hitSubtableLookups;

    /// <summary>Whether some subtable is still moving its entries into a grown table (see <see cref="DrainRehash"/>).</summary>
    public bool RehashPending => migrating > 0;

    /// <summary>Ids of the installed megaflows, in id order; removing flows while enumerating is allowed.</summary>
    public MegaflowIdEnumerator LiveIds() => new(this);

    internal int HighWater => records.HighWater;

    /// <summary>Record chunks (8192 megaflows each) mapped, and how many are huge pages.</summary>
    internal (int Chunks, int HugeChunks) RecordChunks => records.ChunkCounts;

    /// <summary>Whether <see cref="Dispose"/> ran.</summary>
    internal bool IsDisposed => !records.IsAllocated;

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
                FlowRecordStore.SetActions(records.Get(existing), actions);
                return existing;
            }
        }

        if (records.Count >= capacity)
        {
            return -1;
        }

        if (s < 0)
        {
            s = CreateSubtable(match.Mask);
        }

        st = subtables + s;
        h = Compact(st, match.Key, compact);
        int id = records.Allocate();
        FlowRecord* r = records.Get(id);
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

        FlowRecordStore.SetActions(r, actions);
        bool hadWork = st->Table.IsMigrating;
        st->Table.Insert(h, id);
        migrating += (st->Table.IsMigrating ? 1 : 0) - (hadWork ? 1 : 0);
        if (IsPortOnly(match) && match.Key.InPort <= MaxPortOnlyPort)
        {
            SetPortOnly(match.Key.InPort, id);
        }

        return id;
    }

    /// <summary>
    /// Whether <paramref name="match"/> matches every packet fresh from its in_port: the whole in_port matched,
    /// recirc_id and pkt_mark at most matched against 0, and nothing else (parse flags included) matched.
    /// </summary>
    private static bool IsPortOnly(in FlowMatch match)
    {
        // Word 0 is in_port (low half) and recirc_id; word 1 is pkt_mark (low half) and the parse flags.
        ReadOnlySpan<ulong> k = match.Key.ReadOnlyWords;
        return IsPortOnlyMask(match.Mask) && (k[0] >> 32) == 0 && k[1] == 0;
    }

    /// <summary>Whether <paramref name="mask"/> is the mask of a port-only megaflow (see <see cref="IsPortOnly"/>).</summary>
    private static bool IsPortOnlyMask(in FlowKey mask)
    {
        ReadOnlySpan<ulong> m = mask.ReadOnlyWords;
        if ((uint)m[0] != uint.MaxValue || (m[1] >> 32) != 0)
        {
            return false;
        }

        for (int i = 2; i < FlowKey.Words; i++)
        {
            if (m[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void SetPortOnly(uint inPort, int id)
    {
        if (inPort >= (uint)portOnly.Length)
        {
            int[] grown = new int[Math.Min(MaxPortOnlyPort + 1, Math.Max((int)inPort + 1, portOnly.Length * 2))];
            grown.AsSpan().Fill(-1);
            portOnly.CopyTo(grown, 0);
            portOnly = grown;
        }

        portOnly[inPort] = id;
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
        if (!records.IsLive(id))
        {
            return false;
        }

        FlowRecord* r = records.Get(id);
        int s = r->Subtable;
        Subtable* st = subtables + s;
        if (IsPortOnlyMask(st->Mask))
        {
            // Only flows of such a mask can be in the port table, a handful of them: a scan is cheap and rare.
            int port = portOnly.AsSpan().IndexOf(id);
            if (port >= 0)
            {
                portOnly[port] = -1;
            }
        }

        st->Table.Remove(r->Hash, id);
        if (st->Table.Count == 0)
        {
            DestroySubtable(s);
        }

        records.Free(id);
        return true;
    }

    /// <summary>Removes the megaflow with exactly this key and mask; false if there is none.</summary>
    public bool Remove(in FlowMatch match) => Remove(Find(match));

    /// <summary>Removes every megaflow; every id's generation changes, so caches see all entries as stale.</summary>
    public void Flush()
    {
        ThrowIfDisposed();
        portOnly.AsSpan().Fill(-1);
        records.FreeAll();
        while (subtableCount > 0)
        {
            DestroySubtable(order[subtableCount - 1]);
        }
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
            var matcher = new PacketKeyMatcher(ref records, st, ref kw);
            int id = st->Table.Find(h, ref matcher);
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

            // Pass 1: hash every key still missing and start fetching its home bucket.
            for (uint m = missing; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                uint h = HashPacket(st, ref Unsafe.As<FlowKey, ulong>(ref Unsafe.Add(ref k0, i)));
                hashes[i] = h;
                if (Sse.IsSupported)
                {
                    Sse.Prefetch0(st->Table.HomeBucket(h));
                }
            }

            // Pass 2: drop keys whose home bucket rules them out; start fetching the first candidate's key.
            uint check = 0;
            for (uint m = missing; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                if (st->Table.MayContain(hashes[i], out int candidate))
                {
                    if (Sse.IsSupported && candidate >= 0)
                    {
                        Sse.Prefetch0(records.Get(candidate)->Key);
                    }

                    check |= 1u << i;
                }
            }

            // Pass 3: compare keys (the full walk, now over cached lines).
            for (uint m = check; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                var matcher = new PacketKeyMatcher(ref records, st, ref Unsafe.As<FlowKey, ulong>(ref Unsafe.Add(ref k0, i)));
                int id = st->Table.Find(hashes[i], ref matcher);
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
    /// Does up to <paramref name="maxBuckets"/> buckets of pending rehash work (subtables that grew move
    /// their entries over a few buckets per insert; this finishes them in the PMD's spare time, so lookups
    /// go back to probing one table). Returns the buckets moved; 0 when nothing is pending.
    /// </summary>
    public int DrainRehash(int maxBuckets)
    {
        int done = 0;
        for (int p = 0; p < subtableCount && migrating > 0 && done < maxBuckets; p++)
        {
            Subtable* st = subtables + order[p];
            if (st->Table.IsMigrating)
            {
                done += st->Table.Drain(maxBuckets - done);
                if (!st->Table.IsMigrating)
                {
                    migrating--;
                }
            }
        }

        return done;
    }

    /// <summary>
    /// One chunk of a dump: fills <paramref name="ids"/> with installed ids from <paramref name="cursor"/> on,
    /// ascending, examining a bounded number of slots so one call stays short however sparse the table.
    /// </summary>
    /// <param name="cursor">Where to start: 0 for a new dump, then the value the previous call returned.</param>
    /// <param name="ids">Receives the ids.</param>
    /// <param name="count">How many ids were written.</param>
    /// <returns>The cursor for the next call, or -1 when the walk is done.</returns>
    /// <remarks>
    /// Ids never move and a modify keeps its id, so a flow installed for the whole dump is returned exactly
    /// once however flows come and go between calls; flows added or removed meanwhile may or may not be.
    /// </remarks>
    public int LiveIds(int cursor, Span<int> ids, out int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        int end = records.HighWater;
        int scanEnd = (int)Math.Min(end, cursor + ((long)ids.Length * DumpSlotsPerId) + 1);
        count = 0;
        int id = cursor;
        for (; id < scanEnd && count < ids.Length; id++)
        {
            if (records.IsLive(id))
            {
                ids[count++] = id;
            }
        }

        return id >= end ? -1 : id;
    }

    /// <summary>
    /// The action program of megaflow <paramref name="id"/>, in unmanaged memory; valid until the flow is
    /// removed or its actions replaced.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetActions(int id) => FlowRecordStore.Actions(records.GetLive(id));

    /// <summary>Counters of megaflow <paramref name="id"/>, updated in place by the owning thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref MegaflowStats GetStats(int id) => ref records.GetLive(id)->Stats;

    /// <summary>Generation of the installed megaflow <paramref name="id"/>, to store next to the id in a cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint GetGeneration(int id) => records.GetLive(id)->Generation;

    /// <summary>Whether <paramref name="id"/> still names the flow it named when its generation was <paramref name="generation"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLive(int id, uint generation)
    {
        if ((uint)id >= (uint)records.HighWater)
        {
            return false;
        }

        FlowRecord* r = records.Get(id);
        return r->Generation == generation && r->Subtable >= 0;
    }

    /// <summary>The key and mask of megaflow <paramref name="id"/> (for dumps and the slow path; copies 256 bytes).</summary>
    public FlowMatch GetMatch(int id)
    {
        FlowRecord* r = records.GetLive(id);
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
    internal bool IsSlotLive(int id) => records.IsLive(id);

    /// <summary>The hash table of the subtable of rank <paramref name="rank"/>, for tests that inspect its layout.</summary>
    internal ref SubtableHashTable TableOfRank(int rank)
    {
        if ((uint)rank >= (uint)subtableCount)
        {
            throw new ArgumentOutOfRangeException(nameof(rank));
        }

        return ref subtables[order[rank]].Table;
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
        var matcher = new CompactKeyMatcher(ref records, st->WordCount, compact);
        return st->Table.Find(h, ref matcher);
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
            var moved = (Subtable*)AlignedMemory.AllocZeroed((nuint)grown * (nuint)sizeof(Subtable));
            Buffer.MemoryCopy(subtables, moved, (long)grown * sizeof(Subtable), (long)subtableSlots * sizeof(Subtable));
            AlignedMemory.Free(subtables);
            subtables = moved;
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
        st->Table.Init();

        // A new mask starts last: it has no hits yet, and the next Resort places it.
        order[subtableCount++] = s;
        return s;
    }

    private void DestroySubtable(int s)
    {
        Subtable* st = subtables + s;
        if (st->Table.IsMigrating)
        {
            migrating--;
        }

        st->Table.Dispose(later: true);
        st->InUse = false;
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

    private void FreeAll()
    {
        if (!records.IsAllocated)
        {
            return;
        }

        records.Dispose();
        for (int i = 0; i < subtableSlots; i++)
        {
            if (subtables[i].InUse)
            {
                subtables[i].Table.Dispose();
            }
        }

        AlignedMemory.Free(subtables);
        NativeMemory.Free(order);
        subtables = null;
        order = null;
        subtableSlots = 0;
        subtableCount = 0;
        migrating = 0;
    }

    private void ThrowIfDisposed()
    {
        if (!records.IsAllocated)
        {
            throw new ObjectDisposedException(nameof(MegaflowClassifier));
        }
    }

    private static void ThrowBadBatch(int keys, int ids) =>
        throw new ArgumentException($"a batch takes 0..{MaxBatch} keys and an id span at least as long (got {keys} keys, {ids} ids)");

    /// <summary>A packet's key against a stored flow: the packet's words under the subtable's mask.</summary>
    private readonly ref struct PacketKeyMatcher(ref FlowRecordStore records, Subtable* st, ref ulong kw) : IFlowIdMatcher
    {
        private readonly ref FlowRecordStore records = ref records;
        private readonly Subtable* st = st;
        private readonly ref ulong kw = ref kw;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(int id)
        {
            // Plain ulong compares: gathering the masked words into a buffer for a Vector256
            // compare measured 3x slower at 2-8 words (the vector load stalls on the stores).
            FlowRecord* r = records.Get(id);
            int n = st->WordCount;
            ulong diff = 0;
            for (int i = 0; i < n; i++)
            {
                diff |= r->Key[i] ^ (Unsafe.Add(ref kw, st->WordIndex[i]) & st->MaskWords[i]);
            }

            return diff == 0;
        }
    }

    /// <summary>An already masked and compacted key against a stored flow (installs and exact finds).</summary>
    private readonly ref struct CompactKeyMatcher(ref FlowRecordStore records, int words, ulong* compact) : IFlowIdMatcher
    {
        private readonly ref FlowRecordStore records = ref records;
        private readonly int words = words;
        private readonly ulong* compact = compact;

        public bool Matches(int id)
        {
            FlowRecord* r = records.Get(id);
            for (int i = 0; i < words; i++)
            {
                if (r->Key[i] != compact[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
