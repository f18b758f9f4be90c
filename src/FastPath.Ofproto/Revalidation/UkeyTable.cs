using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Revalidation;

/// <summary>The <see cref="Ukey"/>s of every PMD, by megaflow; owned by the ofproto thread.</summary>
public sealed class UkeyTable
{
    private Dictionary<FlowMatch, Ukey>[] perPmd;

    // Ukeys forgotten, for the next megaflows to reuse: a flow setup then allocates no ukey once the table has
    // held as many before (each ukey is half a kilobyte, and a flood of new flows sets up tens of thousands a
    // second). It never holds more than the table did at once, which the megaflow limit bounds.
    private readonly Stack<Ukey> spare = new();

    /// <summary>A table for <paramref name="pmdCount"/> PMDs.</summary>
    public UkeyTable(int pmdCount) => perPmd = Empty(pmdCount);

    /// <summary>Forgets every ukey and serves <paramref name="pmdCount"/> PMDs from now on (their megaflows went with the PMDs they were on).</summary>
    public void Reset(int pmdCount) => perPmd = Empty(pmdCount);

    /// <summary>The ukeys of PMD <paramref name="pmd"/>.</summary>
    public IReadOnlyDictionary<FlowMatch, Ukey> Of(int pmd) => perPmd[pmd];

    /// <summary>Ukeys over all PMDs.</summary>
    public int Count => perPmd.Sum(d => d.Count);

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

    /// <summary>Records (or replaces) the ukey of an installed megaflow on PMD <paramref name="pmd"/>.</summary>
    public void Set(int pmd, Ukey ukey)
    {
        ref Ukey? slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(perPmd[pmd], ukey.Megaflow, out bool existed);
        if (existed && slot is not null && !ReferenceEquals(slot, ukey))
        {
            spare.Push(slot);
        }

        slot = ukey;
    }

    /// <summary>The ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>, if any.</summary>
    public bool TryGet(int pmd, in FlowMatch megaflow, out Ukey? ukey) => perPmd[pmd].TryGetValue(megaflow, out ukey);

    /// <summary>Forgets the ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>.</summary>
    public bool Remove(int pmd, in FlowMatch megaflow)
    {
        if (!perPmd[pmd].Remove(megaflow, out Ukey? u))
        {
            return false;
        }

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
        Dictionary<FlowMatch, Ukey> d = perPmd[pmd];
        int removed = 0;
        foreach ((FlowMatch m, Ukey u) in d)
        {
            if (u.SeenPass != pass && u.InstalledTicks < passStartTicks && d.Remove(m))
            {
                spare.Push(u);
                removed++;
            }
        }

        return removed;
    }

    private static Dictionary<FlowMatch, Ukey>[] Empty(int pmdCount) =>
        [.. Enumerable.Range(0, pmdCount).Select(_ => new Dictionary<FlowMatch, Ukey>(FlowMatchComparer.Instance))];
}
