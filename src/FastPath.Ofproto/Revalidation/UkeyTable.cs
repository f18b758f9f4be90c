using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Revalidation;

/// <summary>The <see cref="Ukey"/>s of every PMD, by megaflow; owned by the ofproto thread.</summary>
public sealed class UkeyTable
{
    // Each PMD's ukeys in a set keyed by their own Megaflow, not in a dictionary from a copy of it: an entry is then
    // a reference and two ints instead of a 256-byte FlowMatch besides, and growing the table under a flood of new
    // flows copies 16 bytes per ukey (at 250,000 flows a resize allocated about 70 MB on the large object heap).
    private HashSet<Ukey>[] perPmd;

    // Ukeys forgotten, for the next megaflows to reuse: a flow setup then allocates no ukey once the table has
    // held as many before (each ukey is half a kilobyte, and a flood of new flows sets up tens of thousands a
    // second). It never holds more than the table did at once, which the megaflow limit bounds.
    private readonly Stack<Ukey> spare = new();

    // Looks up a megaflow in a set of ukeys (the ofproto thread's only: the table is not shared).
    private readonly Ukey probe = new() { Megaflow = default, Key = default, Actions = [] };
    private readonly Predicate<Ukey> unseen;
    private long unseenPass;
    private long unseenBefore;

    /// <summary>A table for <paramref name="pmdCount"/> PMDs.</summary>
    public UkeyTable(int pmdCount)
    {
        perPmd = Empty(pmdCount);
        unseen = Unseen;
    }

    /// <summary>Forgets every ukey and serves <paramref name="pmdCount"/> PMDs from now on (their megaflows went with the PMDs they were on).</summary>
    public void Reset(int pmdCount) => perPmd = Empty(pmdCount);

    /// <summary>The ukeys of PMD <paramref name="pmd"/>.</summary>
    public IReadOnlyCollection<Ukey> Of(int pmd) => perPmd[pmd];

    /// <summary>Ukeys over all PMDs.</summary>
    public int Count
    {
        get
        {
            // Read on every revalidation pass and loop of the ofproto thread: a plain loop, no LINQ enumerator.
            int n = 0;
            foreach (HashSet<Ukey> d in perPmd)
            {
                n += d.Count;
            }

            return n;
        }
    }

    /// <summary>Ukeys kept for reuse (see <see cref="Rent"/>).</summary>
    public int Spare => spare.Count;

    /// <summary>
    /// A ukey to fill in and <see cref="Set"/>: one the table forgot, cleared, or a new one. A ukey passed to
    /// <see cref="Set"/> belongs to the table from then on: once forgotten (removed, replaced, vanished) it may be
    /// handed out again, so callers keep no reference to it past the call that removes it.
    /// </summary>
    public Ukey Rent()
    {
        if (spare.TryPop(out Ukey? u))
        {
            u.Clear();
            return u;
        }

        return new Ukey { Megaflow = default, Key = default, Actions = [] };
    }

    /// <summary>
    /// Records (or replaces) the ukey of an installed megaflow on PMD <paramref name="pmd"/>. Its
    /// <see cref="Ukey.Megaflow"/> must not change while the table holds it.
    /// </summary>
    public void Set(int pmd, Ukey ukey)
    {
        HashSet<Ukey> set = perPmd[pmd];
        if (set.TryGetValue(ukey, out Ukey? old))
        {
            if (ReferenceEquals(old, ukey))
            {
                return;
            }

            set.Remove(old);
            spare.Push(old);
        }

        set.Add(ukey);
    }

    /// <summary>The ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>, if any.</summary>
    public bool TryGet(int pmd, in FlowMatch megaflow, out Ukey? ukey)
    {
        probe.Megaflow = megaflow;
        return perPmd[pmd].TryGetValue(probe, out ukey);
    }

    /// <summary>Forgets the ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>.</summary>
    public bool Remove(int pmd, in FlowMatch megaflow)
    {
        HashSet<Ukey> set = perPmd[pmd];
        probe.Megaflow = megaflow;
        if (!set.TryGetValue(probe, out Ukey? u))
        {
            return false;
        }

        set.Remove(u);
        spare.Push(u);
        return true;
    }

    /// <summary>
    /// Forgets every ukey of PMD <paramref name="pmd"/> that the dump pass <paramref name="pass"/>, begun at
    /// <paramref name="passStartTicks"/>, did not find (its megaflow is gone); ukeys put after the pass began are
    /// kept, their put may still be on its way. Returns how many were forgotten.
    /// </summary>
    public int RemoveUnseen(int pmd, long pass, long passStartTicks)
    {
        unseenPass = pass;
        unseenBefore = passStartTicks;
        return perPmd[pmd].RemoveWhere(unseen);
    }

    private bool Unseen(Ukey u)
    {
        if (u.SeenPass != unseenPass && u.InstalledTicks < unseenBefore)
        {
            spare.Push(u);
            return true;
        }

        return false;
    }

    private static HashSet<Ukey>[] Empty(int pmdCount)
    {
        var sets = new HashSet<Ukey>[pmdCount];
        for (int i = 0; i < pmdCount; i++)
        {
            sets[i] = new HashSet<Ukey>(ByMegaflow.Instance);
        }

        return sets;
    }

    // Ukeys are the same when their megaflows are (FlowMatchComparer's equality and hash, read in place).
    private sealed class ByMegaflow : IEqualityComparer<Ukey>
    {
        public static readonly ByMegaflow Instance = new();

        public bool Equals(Ukey? x, Ukey? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && FlowMatchComparer.Same(x.MegaflowRef, y.MegaflowRef));

        public int GetHashCode(Ukey obj) => FlowMatchComparer.Hash(obj.MegaflowRef);
    }
}
