namespace FastPath.Ofproto.Normal;

/// <summary>
/// The NORMAL action's forwarding database: (Ethernet address, VLAN) to port, as Open vSwitch's
/// <c>lib/mac-learning.c</c>, with aging (mac-aging-time), a size limit (mac-table-size) and least recently
/// used eviction.
/// </summary>
/// <remarks>
/// <para>
/// Time is always passed in (<c>now</c>, in ticks of <see cref="TicksPerSecond"/>, from a monotonic clock),
/// never read here, so the table is deterministic and the caller chooses the clock (seconds, Stopwatch ticks
/// or TSC). An entry expires once <c>now - lastSeen &gt;= AgingSeconds * TicksPerSecond</c>.
/// </para>
/// <para>
/// Entries live in arrays allocated up front for <see cref="MaxEntries"/> and a dictionary sized to match, so
/// learning and lookup allocate nothing. The entries are also on one list in least-recently-learned order
/// (lookups do not reorder it, learning moves an entry to the back): its front is both the eviction victim and
/// the next to expire, as Open vSwitch's <c>lrus</c> list.
/// </para>
/// <para>
/// <see cref="Version"/> changes whenever the table changes in a way that can change a forwarding decision
/// (a new entry, a move, an expiry, an eviction, a flush, a new aging time or flood VLAN set), never for a
/// refresh of an entry on the same port. A megaflow made from a decision taken at an older version must be
/// revalidated. Not thread-safe: the ofproto thread owns it.
/// </para>
/// </remarks>
public sealed class MacLearningTable
{
    /// <summary>Open vSwitch's default mac-aging-time, in seconds.</summary>
    public const int DefaultAgingSeconds = 300;

    /// <summary>The smallest mac-aging-time Open vSwitch accepts; smaller values are raised to it.</summary>
    public const int MinAgingSeconds = 15;

    /// <summary>The largest mac-aging-time Open vSwitch accepts; larger values are lowered to it.</summary>
    public const int MaxAgingSeconds = 3600;

    /// <summary>Open vSwitch's default mac-table-size (8192 since Open vSwitch 2.x, per ovs-vswitchd.conf.db(5)).</summary>
    public const int DefaultMaxEntries = 8192;

    /// <summary>The smallest mac-table-size Open vSwitch accepts; smaller values are raised to it.</summary>
    public const int MinMaxEntries = 10;

    /// <summary>The largest mac-table-size Open vSwitch accepts; larger values are lowered to it.</summary>
    public const int MaxMaxEntries = 1_000_000;

    /// <summary>Highest VLAN ID (12 bits).</summary>
    public const int MaxVlan = 4095;

    private const int None = -1;

    private readonly ulong[] floodVlans = new ulong[(MaxVlan + 1) / 64];

    // Static entries (fdb/add), in the order they were added: outside the learned entries' arrays and LRU list,
    // so they never age, are never evicted and are not flushed; a lookup finds them first.
    private readonly Dictionary<ulong, uint> statics = [];
    private readonly List<ulong> staticOrder = [];
    private Dictionary<ulong, int> index;
    private ulong[] keys;
    private uint[] ports;
    private long[] lastSeen;
    private int[] prev;
    private int[] next;
    private int head = None;
    private int tail = None;
    private int free = None;
    private int agingSeconds;
    private long agingTicks;
    private ulong learned;
    private ulong expired;
    private ulong evicted;
    private ulong moved;

    /// <summary>Creates an empty table.</summary>
    /// <param name="ticksPerSecond">Units of the <c>now</c> values passed in: 1 for seconds, <see cref="System.Diagnostics.Stopwatch.Frequency"/> for Stopwatch ticks.</param>
    /// <param name="agingSeconds">mac-aging-time, clamped to [<see cref="MinAgingSeconds"/>, <see cref="MaxAgingSeconds"/>] as Open vSwitch does.</param>
    /// <param name="maxEntries">mac-table-size, clamped to [<see cref="MinMaxEntries"/>, <see cref="MaxMaxEntries"/>] as Open vSwitch does.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticksPerSecond"/> is not positive.</exception>
    public MacLearningTable(long ticksPerSecond = 1, int agingSeconds = DefaultAgingSeconds, int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerSecond);
        TicksPerSecond = ticksPerSecond;
        SetAging(agingSeconds);
        int max = Math.Clamp(maxEntries, MinMaxEntries, MaxMaxEntries);
        (index, keys, ports, lastSeen, prev, next) = Allocate(max);
        BuildFreeList(0);
    }

    /// <summary>Units of the <c>now</c> arguments per second.</summary>
    public long TicksPerSecond { get; }

    /// <summary>Entries in the table, static ones included (expired entries not yet removed included).</summary>
    public int Count => index.Count + statics.Count;

    /// <summary>Changes whenever a forwarding decision taken from this table could change (see remarks on the type).</summary>
    public ulong Version { get; private set; }

    /// <summary>The counters and settings <c>fdb/stats-show</c> prints.</summary>
    public MacLearningStats Stats => new(Count, MaxEntries, agingSeconds, learned, expired, evicted, moved, statics.Count);

    /// <summary>mac-aging-time in seconds; setting clamps to [<see cref="MinAgingSeconds"/>, <see cref="MaxAgingSeconds"/>].</summary>
    public int AgingSeconds
    {
        get => agingSeconds;
        set
        {
            if (Math.Clamp(value, MinAgingSeconds, MaxAgingSeconds) != agingSeconds)
            {
                SetAging(value);
                Version++;
            }
        }
    }

    /// <summary>
    /// mac-table-size; setting clamps to [<see cref="MinMaxEntries"/>, <see cref="MaxMaxEntries"/>], reallocates,
    /// and evicts the least recently learned entries that no longer fit.
    /// </summary>
    public int MaxEntries
    {
        get => keys.Length;
        set
        {
            int max = Math.Clamp(value, MinMaxEntries, MaxMaxEntries);
            if (max != keys.Length)
            {
                Resize(max);
            }
        }
    }

    /// <summary>
    /// Sets the VLANs on which learning is off and every frame floods (the Bridge table's flood_vlans); entries
    /// already learned in them are flushed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A VLAN outside 0-4095 (nothing is changed).</exception>
    public void SetFloodVlans(IEnumerable<int> vlans)
    {
        ArgumentNullException.ThrowIfNull(vlans);
        var bits = new ulong[floodVlans.Length];
        foreach (int v in vlans)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)v, (uint)MaxVlan, nameof(vlans));
            bits[v >> 6] |= 1UL << (v & 63);
        }

        if (bits.AsSpan().SequenceEqual(floodVlans))
        {
            return;
        }

        bits.CopyTo(floodVlans, 0);
        Version++;
        RemoveWhere((_, key) => IsFloodVlan((ushort)(key >> 48)));
    }

    /// <summary>Whether learning is off in <paramref name="vlan"/> (it is in flood_vlans).</summary>
    public bool IsFloodVlan(ushort vlan) => vlan <= MaxVlan && (floodVlans[vlan >> 6] & (1UL << (vlan & 63))) != 0;

    /// <summary>Whether <paramref name="mac"/> may be learned in <paramref name="vlan"/>: a unicast address in a learning VLAN.</summary>
    public bool MayLearn(ulong mac, ushort vlan) => !EthernetAddress.IsMulticast(mac) && vlan <= MaxVlan && !IsFloodVlan(vlan);

    /// <summary>
    /// Records that a frame from <paramref name="mac"/> arrived on <paramref name="port"/> in <paramref name="vlan"/>
    /// at <paramref name="now"/>. A full table evicts its least recently learned entry first.
    /// </summary>
    /// <returns>What changed; <see cref="Version"/> moves for <see cref="MacLearnResult.Learned"/> and <see cref="MacLearnResult.Moved"/>.</returns>
    public MacLearnResult Learn(ulong mac, ushort vlan, uint port, long now)
    {
        if (!MayLearn(mac, vlan))
        {
            return MacLearnResult.NotLearned;
        }

        ulong key = Key(mac, vlan);
        if (statics.ContainsKey(key))
        {
            // A static entry stays where it was put, whatever port the address is seen on.
            return MacLearnResult.NotLearned;
        }

        if (index.TryGetValue(key, out int e))
        {
            if (IsExpired(e, now))
            {
                // It aged out before this frame: a fresh entry, as Open vSwitch's expiry run would have made it.
                Remove(e);
                expired++;
                Version++;
            }
            else
            {
                lastSeen[e] = now;
                MoveToBack(e);
                if (ports[e] == port)
                {
                    return MacLearnResult.Refreshed;
                }

                ports[e] = port;
                moved++;
                Version++;
                return MacLearnResult.Moved;
            }
        }

        if (index.Count >= MaxEntries)
        {
            Remove(head);
            evicted++;
        }

        e = free;
        free = next[e];
        keys[e] = key;
        ports[e] = port;
        lastSeen[e] = now;
        LinkAtBack(e);
        index.Add(key, e);
        learned++;
        Version++;
        return MacLearnResult.Learned;
    }

    /// <summary>
    /// Finds the port <paramref name="mac"/> was learned on in <paramref name="vlan"/>. Multicast addresses and
    /// flood VLANs are never found. An entry found expired is removed (and <see cref="Version"/> moves), so a
    /// decision never rests on an entry the next <see cref="Expire"/> would drop.
    /// </summary>
    public bool TryLookup(ulong mac, ushort vlan, long now, out uint port)
    {
        port = 0;
        if (!MayLearn(mac, vlan))
        {
            return false;
        }

        if (statics.TryGetValue(Key(mac, vlan), out port))
        {
            return true;
        }

        if (!index.TryGetValue(Key(mac, vlan), out int e))
        {
            return false;
        }

        if (IsExpired(e, now))
        {
            Remove(e);
            expired++;
            Version++;
            return false;
        }

        port = ports[e];
        return true;
    }

    /// <summary>Removes every entry idle for at least the aging time (Open vSwitch's <c>mac_learning_run</c>).</summary>
    /// <returns>How many were removed.</returns>
    public int Expire(long now)
    {
        int n = 0;
        while (head != None && IsExpired(head, now))
        {
            Remove(head);
            n++;
        }

        if (n > 0)
        {
            expired += (ulong)n;
            Version++;
        }

        return n;
    }

    /// <summary>
    /// Adds a static entry (<c>fdb/add</c>): <paramref name="mac"/> in <paramref name="vlan"/> is on
    /// <paramref name="port"/> until <see cref="RemoveStatic"/> or the port leaves; a learned entry for the same
    /// address is replaced. Returns the port a static entry for it was on before, or null.
    /// </summary>
    public uint? AddStatic(ulong mac, ushort vlan, uint port)
    {
        ulong key = Key(mac, vlan);
        if (index.TryGetValue(key, out int e))
        {
            Remove(e);
        }

        uint? before = null;
        if (statics.TryGetValue(key, out uint old))
        {
            before = old;
            staticOrder.Remove(key);
        }

        statics[key] = port;
        staticOrder.Add(key);
        Version++;
        return before;
    }

    /// <summary>Removes the static entry for <paramref name="mac"/> in <paramref name="vlan"/> (<c>fdb/del</c>); false if there is none.</summary>
    public bool RemoveStatic(ulong mac, ushort vlan)
    {
        ulong key = Key(mac, vlan);
        if (!statics.Remove(key))
        {
            return false;
        }

        staticOrder.Remove(key);
        Version++;
        return true;
    }

    /// <summary>Zeroes the learned, expired, evicted and moved counters (<c>fdb/stats-clear</c>); the entries stay.</summary>
    public void ClearStats() => learned = expired = evicted = moved = 0;

    /// <summary>Removes every learned entry (<c>fdb/flush</c>); static entries stay, as in Open vSwitch.</summary>
    /// <returns>How many were removed.</returns>
    public int Flush() => RemoveWhere(static (_, _) => true);

    /// <summary>Removes the entries learned on <paramref name="port"/> (a port removed or reconfigured).</summary>
    /// <returns>How many were removed.</returns>
    public int FlushPort(uint port)
    {
        // A port that leaves takes its static entries with it: they would name a port that is gone.
        ulong[] gone = [.. staticOrder.Where(k => statics[k] == port)];
        foreach (ulong k in gone)
        {
            statics.Remove(k);
            staticOrder.Remove(k);
        }

        if (gone.Length > 0)
        {
            Version++;
        }

        return gone.Length + RemoveWhere((p, _) => p == port);
    }

    /// <summary>Removes the entries of <paramref name="vlan"/>.</summary>
    /// <returns>How many were removed.</returns>
    public int FlushVlan(ushort vlan) => RemoveWhere((_, key) => (ushort)(key >> 48) == vlan);

    /// <summary>
    /// The live entries, least recently learned first (the order <c>fdb/show</c> prints), then the static ones in
    /// the order they were added. Expired entries not yet removed are left out; nothing is changed. Allocates: for management, not the packet path.
    /// </summary>
    public List<MacLearningEntry> Snapshot(long now)
    {
        var list = new List<MacLearningEntry>(index.Count);
        for (int e = head; e != None; e = next[e])
        {
            if (!IsExpired(e, now))
            {
                list.Add(new MacLearningEntry(ports[e], (ushort)(keys[e] >> 48), keys[e] & EthernetAddress.Mask, (now - lastSeen[e]) / TicksPerSecond));
            }
        }

        foreach (ulong k in staticOrder)
        {
            list.Add(new MacLearningEntry(statics[k], (ushort)(k >> 48), k & EthernetAddress.Mask, 0, IsStatic: true));
        }

        return list;
    }

    private static ulong Key(ulong mac, ushort vlan) => (mac & EthernetAddress.Mask) | ((ulong)vlan << 48);

    private static (Dictionary<ulong, int>, ulong[], uint[], long[], int[], int[]) Allocate(int max) =>
        (new Dictionary<ulong, int>(max), new ulong[max], new uint[max], new long[max], new int[max], new int[max]);

    private bool IsExpired(int e, long now) => now - lastSeen[e] >= agingTicks;

    private void SetAging(int seconds)
    {
        agingSeconds = Math.Clamp(seconds, MinAgingSeconds, MaxAgingSeconds);
        agingTicks = agingSeconds * TicksPerSecond;
    }

    private int RemoveWhere(Func<uint, ulong, bool> predicate)
    {
        int n = 0;
        int e = head;
        while (e != None)
        {
            int after = next[e];
            if (predicate(ports[e], keys[e]))
            {
                Remove(e);
                n++;
            }

            e = after;
        }

        if (n > 0)
        {
            Version++;
        }

        return n;
    }

    private void Resize(int max)
    {
        // Keep the most recently learned entries that fit, in their order.
        var survivors = new List<(ulong Key, uint Port, long Seen)>(Math.Min(max, index.Count));
        int skip = Math.Max(0, index.Count - max);
        evicted += (ulong)skip;
        for (int e = head; e != None; e = next[e])
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }

            survivors.Add((keys[e], ports[e], lastSeen[e]));
        }

        if (survivors.Count < index.Count)
        {
            Version++;
        }

        (index, keys, ports, lastSeen, prev, next) = Allocate(max);
        head = tail = None;
        for (int i = 0; i < survivors.Count; i++)
        {
            (keys[i], ports[i], lastSeen[i]) = survivors[i];
            LinkAtBack(i);
            index.Add(keys[i], i);
        }

        BuildFreeList(survivors.Count);
    }

    private void BuildFreeList(int from)
    {
        free = None;
        for (int i = keys.Length - 1; i >= from; i--)
        {
            next[i] = free;
            free = i;
        }
    }

    private void Remove(int e)
    {
        index.Remove(keys[e]);
        Unlink(e);
        next[e] = free;
        free = e;
    }

    private void LinkAtBack(int e)
    {
        prev[e] = tail;
        next[e] = None;
        if (tail != None)
        {
            next[tail] = e;
        }
        else
        {
            head = e;
        }

        tail = e;
    }

    private void Unlink(int e)
    {
        if (prev[e] != None)
        {
            next[prev[e]] = next[e];
        }
        else
        {
            head = next[e];
        }

        if (next[e] != None)
        {
            prev[next[e]] = prev[e];
        }
        else
        {
            tail = prev[e];
        }
    }

    private void MoveToBack(int e)
    {
        if (e != tail)
        {
            Unlink(e);
            LinkAtBack(e);
        }
    }
}
