using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Revalidation;

/// <summary>The <see cref="Ukey"/>s of every PMD, by megaflow; owned by the ofproto thread.</summary>
public sealed class UkeyTable
{
    private Dictionary<FlowMatch, Ukey>[] perPmd;

    /// <summary>A table for <paramref name="pmdCount"/> PMDs.</summary>
    public UkeyTable(int pmdCount) => perPmd = Empty(pmdCount);

    /// <summary>Forgets every ukey and serves <paramref name="pmdCount"/> PMDs from now on (their megaflows went with the PMDs they were on).</summary>
    public void Reset(int pmdCount) => perPmd = Empty(pmdCount);

    /// <summary>The ukeys of PMD <paramref name="pmd"/>.</summary>
    public IReadOnlyDictionary<FlowMatch, Ukey> Of(int pmd) => perPmd[pmd];

    /// <summary>Ukeys over all PMDs.</summary>
    public int Count => perPmd.Sum(d => d.Count);

    /// <summary>Records (or replaces) the ukey of an installed megaflow on PMD <paramref name="pmd"/>.</summary>
    public void Set(int pmd, Ukey ukey) => perPmd[pmd][ukey.Megaflow] = ukey;

    /// <summary>The ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>, if any.</summary>
    public bool TryGet(int pmd, in FlowMatch megaflow, out Ukey? ukey) => perPmd[pmd].TryGetValue(megaflow, out ukey);

    /// <summary>Forgets the ukey of <paramref name="megaflow"/> on PMD <paramref name="pmd"/>.</summary>
    public bool Remove(int pmd, in FlowMatch megaflow) => perPmd[pmd].Remove(megaflow);

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
                removed++;
            }
        }

        return removed;
    }

    private static Dictionary<FlowMatch, Ukey>[] Empty(int pmdCount) =>
        [.. Enumerable.Range(0, pmdCount).Select(_ => new Dictionary<FlowMatch, Ukey>(FlowMatchComparer.Instance))];
}
